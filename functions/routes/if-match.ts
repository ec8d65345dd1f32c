import * as z from 'zod';
import { deferred } from '#shared/deferred-schema.ts';
import { ifMatchHeader } from '#shared/http/etag.ts';

/** The If-Match header of a route that changes a versioned item. */
export const ifMatch = deferred(() =>
  z.object({ 'if-match': ifMatchHeader.meta({ description: 'The ETag of the version you read.' }) }),
);
