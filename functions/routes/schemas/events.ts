import * as z from 'zod';
import { deferred } from '#shared/deferred-schema.ts';
import { eventTypeSchema, marketplaceEventSchema } from '#shared/events/catalog.ts';
import { component } from '#shared/http/component.ts';
import { commaList, wholeNumberParam } from '#shared/http/query-params.ts';

export const feedQuery = deferred(() =>
  z.strictObject({
    after: wholeNumberParam
      .pipe(z.number().int().max(999_999_999_999))
      .default(0)
      .meta({ description: 'Read the events after this position; 0, the default, reads from the first' }),
    types: commaList(eventTypeSchema).optional().meta({
      description: 'Only these event types, comma-separated (order.placed,payment.captured)',
    }),
    limit: wholeNumberParam
      .pipe(z.number().int().min(1).max(100))
      .default(50)
      .meta({ description: 'How many events to look at, at most' }),
  }),
);

export const feedPage = component('EventFeedPage', () =>
  z.object({
    events: z.array(marketplaceEventSchema),
    position: z.string().meta({
      description:
        'Pass as `after` to read on: the last position looked at, so no event is missed or read twice',
    }),
  }),
);
