import { Validations } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type LifecycleRule,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { dataRemovalPolicy } from './removal.ts';

export interface PrivateBucketProps {
  /** Keeps the bucket when the stack is deleted; otherwise it is emptied and deleted with the stack. */
  readonly deletionProtection: boolean;
  readonly lifecycleRules: readonly LifecycleRule[];
  readonly versioned?: boolean;
  /** Why the bucket keeps no access logs (cdk-nag AwsSolutions-S1): who may touch it, and what records that. */
  readonly withoutAccessLogs: string;
}

/** A bucket of the marketplace's own data: private, encrypted, HTTPS only, owned by the account. */
export function privateBucket(scope: Construct, id: string, props: PrivateBucketProps): Bucket {
  const bucket = new Bucket(scope, id, {
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    ...(props.versioned ? { versioned: true } : {}),
    lifecycleRules: [...props.lifecycleRules],
    removalPolicy: dataRemovalPolicy(props.deletionProtection),
    autoDeleteObjects: !props.deletionProtection,
  });
  Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: props.withoutAccessLogs });
  return bucket;
}
