import { Duration, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { dataRemovalPolicy } from './removal.ts';

export interface ItemListsProps {
  /** Keeps the bucket when the stack is deleted; otherwise it is emptied and deleted with the stack. */
  readonly deletionProtection: boolean;
}

/** Days an item list is kept: far longer than any execution that reads it runs. */
export const itemListRetentionDays = 30;

/**
 * The bucket of item lists: what a workflow's Distributed Map iterates over, written by one of its
 * task functions and read by the state machine's ItemReader. Private, encrypted, HTTPS only, and
 * emptied of lists once no execution can still read them.
 */
export class ItemLists extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, { deletionProtection }: ItemListsProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          id: 'ExpireItemLists',
          expiration: Duration.days(itemListRetentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: dataRemovalPolicy(deletionProtection),
      autoDeleteObjects: !deletionProtection,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "Holds only item lists (ids a workflow's Distributed Map iterates over; today the sellers a payout " +
        `run pays), each expiring after ${itemListRetentionDays} days. Only the task function that writes ` +
        "a list and the state machine role that reads it are granted access, and the execution's history " +
        'records the key of every list it wrote and read; access logs would be a second bucket holding ' +
        'more than the data they watch.',
    });
  }
}
