/**
 * AWS list prices (us-east-1) that the benchmarks turn measured use into money with: the one price
 * table. Checked 2026-11-27 from the stored copies of the pricing pages named below.
 */
export const prices = {
  /** Step Functions Standard: per state transition, retries included ($0.025 per 1,000). AWS Step Functions Pricing. */
  standardTransition: 0.025 / 1000,
  /** Express: per request ($1.00 per million). Same page. */
  expressRequest: 1 / 1_000_000,
  /**
   * Express duration for the first 1,000 GB-hours a month: $0.06000 per GB-hour, the rate of the
   * page's Express example 3 (us-east-1) = $0.0000166667 per GB-second.
   */
  expressGbSecond: 0.06 / 3600,
  /** Express memory is billed in 64 MB chunks; duration is rounded up to 100 ms. */
  expressMemoryMb: 64,
  expressDurationStepMs: 100,
  /** Lambda: $0.20 per million requests. AWS Lambda Pricing. */
  lambdaRequest: 0.2 / 1_000_000,
  /** Lambda arm64, first 7.5 billion GB-seconds a month; billed per 1 ms. Same page. */
  lambdaArmGbSecond: 0.0000133334,
  /** infra/constructs/handler-function.ts: every function is arm64 with 256 MB. */
  lambdaMemoryMb: 256,
  /**
   * DynamoDB on demand since 2024-11-01: $0.625 per million write request units (a transactional
   * write takes two per KB). Amazon DynamoDB Pricing for On-Demand Capacity.
   */
  dynamoWriteUnit: 0.625 / 1_000_000,
  /**
   * $0.125 per million read request units. Same page. Reads of the table's stream by Lambda's
   * event source mappings are free there ("GetRecords API calls invoked by AWS Lambda as part of
   * DynamoDB triggers are free").
   */
  dynamoReadUnit: 0.125 / 1_000_000,
  /** API Gateway HTTP APIs: $1.00 per million requests for the first 300 million a month, each 512 KB one request. Amazon API Gateway Pricing. */
  httpApiRequest: 1 / 1_000_000,
  /** SQS standard queues: $0.40 per million requests after the free tier, each 64 KB one request. Amazon SQS Pricing. */
  sqsRequest: 0.4 / 1_000_000,
  /** SES outbound email: $0.10 per 1,000 messages (attachments apart). Amazon SES Pricing. */
  sesEmail: 0.1 / 1000,
} as const;
