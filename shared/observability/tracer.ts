import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * X-Ray segments of the function's work: the handler's, one per AWS SDK call of a captured client, and
 * one per outgoing HTTPS call (Stripe, webhook receivers). Off outside Lambda, where no daemon listens.
 */
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'marketplace' });

/** The AWS SDK client, each of its calls a subsegment of the invocation's trace. */
export const traced = <Client>(client: Client): Client => tracer.captureAWSv3Client(client);
