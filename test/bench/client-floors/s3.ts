import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { handler as baseline } from '../bundle-baseline.ts';

/** The baseline with the S3 client and the commands the payout run's item lists use. */
export const handler = async () => [
  await baseline(),
  S3Client.name,
  GetObjectCommand.name,
  PutObjectCommand.name,
];
