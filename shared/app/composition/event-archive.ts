import { S3Client } from '@aws-sdk/client-s3';
import { requiredVariable, resourceVariables } from '#shared/config/function-resources.ts';
import { onFirstUse } from '#shared/config/on-first-use.ts';
import { S3EventArchive } from '#shared/events/archive.ts';
import { traced } from '#shared/observability/tracer.ts';

/** Composition root of the event archive: its bucket, made at first use. */
export const eventArchive = onFirstUse(
  () => new S3EventArchive(traced(new S3Client({})), requiredVariable(resourceVariables.eventArchiveBucket)),
);
