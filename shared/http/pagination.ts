import * as z from 'zod';
import { decodePageCursor, type PageKind } from '../store/page-cursor.ts';
import { component } from './component.ts';
import { pageLimitParam } from './query-params.ts';

/** One page of a list: its items and the cursor of the next page, named `id` in OpenAPI. */
export const pageOf = (item: z.ZodType, id: string) =>
  component(id, () =>
    z.object({
      items: z.array(item),
      nextCursor: z.string().optional().meta({ description: 'Pass as `cursor` to get the next page.' }),
    }),
  );

/** `limit` and `cursor`, where the cursor must be one this kind of list returned. */
export const pageQueryOf = (kind: PageKind) =>
  z.strictObject({
    limit: pageLimitParam,
    cursor: z
      .string()
      .max(512)
      .refine(
        (cursor) => decodePageCursor(cursor, kind) !== undefined,
        'is not a cursor returned by this endpoint',
      )
      .optional(),
  });
