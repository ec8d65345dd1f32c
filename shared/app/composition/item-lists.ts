import { S3Client } from '@aws-sdk/client-s3';
import { requiredVariable, resourceVariables } from '#shared/config/function-resources.ts';
import { onFirstUse } from '#shared/config/on-first-use.ts';
import { S3ItemLists } from '#shared/item-lists/s3.ts';
import { traced } from '#shared/observability/tracer.ts';

/** Composition root of the item lists Map states read: the item-list bucket, made at first use. */
export const itemLists = onFirstUse(
  () => new S3ItemLists(traced(new S3Client({})), requiredVariable(resourceVariables.itemListBucket)),
);
