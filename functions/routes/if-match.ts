import * as z from 'zod';
import { ifMatchHeader } from '#shared/http/etag.ts';

/** The If-Match header of a route that changes a versioned item. */
export const ifMatch = z.lazy(() =>
  z.object({ 'if-match': ifMatchHeader.meta({ description: 'The ETag of the version you read.' }) }),
);
