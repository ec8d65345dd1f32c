import { Duration } from 'aws-cdk-lib';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { privateBucket } from './private-bucket.ts';

export interface EventArchiveProps {
  /** Keeps the bucket when the stack is deleted; otherwise it is emptied and deleted with the stack. */
  readonly deletionProtection: boolean;
}

/** Days an overwritten object's earlier version is kept: a batch archived again writes the same one. */
const replacedVersionDays = 30;

/**
 * The event archive: every event of the log, written as it is appended, so that events stay readable
 * after the table lets them expire. Private, encrypted, HTTPS only, versioned, kept like the table.
 * Objects are small (a stream batch each), below the 128 KB that the infrequent-access classes bill
 * at least, so they stay in S3 Standard.
 */
export class EventArchive extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, { deletionProtection }: EventArchiveProps) {
    super(scope, id);
    this.bucket = privateBucket(this, 'Bucket', {
      deletionProtection,
      versioned: true,
      lifecycleRules: [
        {
          id: 'ExpireReplacedVersions',
          noncurrentVersionExpiration: Duration.days(replacedVersionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      withoutAccessLogs:
        "Holds copies of the event log's events, written only by the archiver and read only by the two " +
        'routes that read the feeds, each granted its own prefix; the events themselves record who did ' +
        'what. Access logs would be a second bucket of more objects than the archive holds.',
    });
  }
}
