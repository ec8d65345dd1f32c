import { Duration, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { dataRemovalPolicy } from './removal.ts';

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
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [
        {
          id: 'ExpireReplacedVersions',
          noncurrentVersionExpiration: Duration.days(replacedVersionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: dataRemovalPolicy(deletionProtection),
      autoDeleteObjects: !deletionProtection,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "Holds copies of the event log's events, written only by the archiver and read only by the two " +
        'routes that read the feeds, each granted its own prefix; the events themselves record who did ' +
        'what. Access logs would be a second bucket of more objects than the archive holds.',
    });
  }
}
