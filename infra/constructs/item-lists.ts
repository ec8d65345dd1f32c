import { Duration } from 'aws-cdk-lib';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { privateBucket } from './private-bucket.ts';

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
    this.bucket = privateBucket(this, 'Bucket', {
      deletionProtection,
      lifecycleRules: [
        {
          id: 'ExpireItemLists',
          expiration: Duration.days(itemListRetentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      withoutAccessLogs:
        "Holds only item lists (ids a workflow's Distributed Map iterates over; today the sellers a payout " +
        `run pays), each expiring after ${itemListRetentionDays} days. Only the task function that writes ` +
        "a list and the state machine role that reads it are granted access, and the execution's history " +
        'records the key of every list it wrote and read; access logs would be a second bucket holding ' +
        'more than the data they watch.',
    });
  }
}
