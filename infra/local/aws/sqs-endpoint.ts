import { createHash, randomUUID } from 'node:crypto';
import { type MessageQueue, maxDelaySeconds } from '#shared/queue/port.ts';
import { type Authorize, localAccount } from './authorization.ts';
import {
  AwsServiceError,
  type JsonCall,
  type LocalEndpoint,
  startJsonProtocolServer,
} from './json-protocol.ts';

export interface SqsEndpointOptions {
  readonly authorize: Authorize;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
}

export interface LocalQueueAddress {
  /** What the sending functions get as the queue's URL, as CDK's `queueUrl` resolves in the cloud. */
  readonly url: string;
  readonly arn: string;
}

export interface SqsEndpoint extends LocalEndpoint {
  /** Serves the standard queue `name`: what is sent to it is handed to `queue`, e.g. a LocalMessageQueue. */
  addQueue(name: string, queue: MessageQueue): LocalQueueAddress;
}

interface ServedQueue extends LocalQueueAddress {
  readonly queue: MessageQueue;
}

/** A new queue's default MaximumMessageSize, which CDK leaves as it is unless told otherwise. */
const maximumMessageBytes = 262_144;
const maximumBatchEntries = 10;
/** Queue names and batch entry ids alike. */
const namePattern = /^[\w-]{1,80}$/;

const queueArn = (name: string) =>
  `arn:${localAccount.partition}:sqs:${localAccount.region}:${localAccount.accountId}:${name}`;

const md5Hex = (text: string) => createHash('md5').update(text).digest('hex');

const queueDoesNotExist = () =>
  new AwsServiceError('QueueDoesNotExist', 'The specified queue does not exist.');

/** The queue name a queue URL of the local account ends with, whatever host it names. */
function queueNameIn(queueUrl: unknown): string | undefined {
  if (typeof queueUrl !== 'string') return undefined;
  const path = URL.canParse(queueUrl) ? new URL(queueUrl).pathname : '';
  const [, account, name, ...rest] = path.split('/');
  const isLocalQueue = account === localAccount.accountId && rest.length === 0;
  return isLocalQueue && name && namePattern.test(name) ? name : undefined;
}

/** The body and delay of a message to send, refusing what the local queue cannot carry to its consumer. */
function messageOf(message: Record<string, unknown>): { body: string; delaySeconds: number } {
  if (message.MessageDeduplicationId !== undefined) {
    throw new AwsServiceError(
      'InvalidParameterValue',
      'The request includes MessageDeduplicationId, which is valid for FIFO queues only.',
    );
  }
  const attributes = message.MessageAttributes as Record<string, unknown> | undefined;
  if (Object.keys(attributes ?? {}).length > 0) {
    throw new AwsServiceError(
      'UnsupportedOperation',
      'The local queue delivers message bodies only: MessageAttributes are not supported.',
    );
  }
  const delaySeconds = message.DelaySeconds ?? 0;
  if (
    !Number.isInteger(delaySeconds) ||
    (delaySeconds as number) < 0 ||
    (delaySeconds as number) > maxDelaySeconds
  ) {
    throw new AwsServiceError(
      'InvalidParameterValue',
      `Value ${String(delaySeconds)} for parameter DelaySeconds is invalid. Reason: must be between 0 and ${maxDelaySeconds}.`,
    );
  }
  const body = message.MessageBody;
  if (typeof body !== 'string' || body.length === 0) {
    throw new AwsServiceError('MissingParameter', 'The request must contain the parameter MessageBody.');
  }
  if (Buffer.byteLength(body) > maximumMessageBytes) {
    throw new AwsServiceError(
      'InvalidParameterValue',
      `One or more parameters are invalid. Reason: Message must be shorter than ${maximumMessageBytes} bytes.`,
    );
  }
  return { body, delaySeconds: delaySeconds as number };
}

type BatchEntry = Record<string, unknown> & { readonly Id: string };

function batchEntriesOf(input: Record<string, unknown>): BatchEntry[] {
  const entries = Array.isArray(input.Entries) ? (input.Entries as Record<string, unknown>[]) : [];
  if (entries.length === 0) {
    throw new AwsServiceError(
      'EmptyBatchRequest',
      'There should be at least one SendMessageBatchRequestEntry.',
    );
  }
  if (entries.length > maximumBatchEntries) {
    throw new AwsServiceError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${maximumBatchEntries}. You have sent ${entries.length}.`,
    );
  }
  const ids = entries.map((entry) => entry.Id);
  const invalidId = ids.find((id) => typeof id !== 'string' || !namePattern.test(id));
  if (invalidId !== undefined) {
    throw new AwsServiceError(
      'InvalidBatchEntryId',
      `A batch entry id can only contain alphanumeric characters, hyphens and underscores: ${String(invalidId)}`,
    );
  }
  if (new Set(ids).size !== ids.length) {
    throw new AwsServiceError(
      'BatchEntryIdsNotDistinct',
      'Two or more batch entries in the request have the same Id.',
    );
  }
  const totalBytes = entries.reduce(
    (sum, entry) => sum + (typeof entry.MessageBody === 'string' ? Buffer.byteLength(entry.MessageBody) : 0),
    0,
  );
  if (totalBytes > maximumMessageBytes) {
    throw new AwsServiceError(
      'BatchRequestTooLong',
      `Batch requests cannot be longer than ${maximumMessageBytes} bytes. You have sent ${totalBytes} bytes.`,
    );
  }
  return entries as BatchEntry[];
}

async function sendMessage(queue: MessageQueue, message: Record<string, unknown>) {
  const { body, delaySeconds } = messageOf(message);
  await queue.send(body, delaySeconds);
  return { MessageId: randomUUID(), MD5OfMessageBody: md5Hex(body) };
}

/** One entry of SendMessageBatch: it succeeds or fails on its own, as the others go on. */
async function sendBatchEntry(queue: MessageQueue, entry: BatchEntry) {
  try {
    return { sent: { Id: entry.Id, ...(await sendMessage(queue, entry)) } };
  } catch (error) {
    const senderFault = error instanceof AwsServiceError;
    return {
      failed: {
        Id: entry.Id,
        SenderFault: senderFault,
        Code: senderFault ? error.type : 'InternalError',
        Message: error instanceof Error ? error.message : String(error),
      },
    };
  }
}

/** The attributes GetQueueAttributes asks for, out of those the local queue knows. */
function selectAttributes(known: Readonly<Record<string, string>>, names: unknown): Record<string, string> {
  const requested = Array.isArray(names) ? (names as unknown[]) : [];
  if (requested.includes('All')) return { ...known };
  return Object.fromEntries(
    requested.map((name) => {
      const value = typeof name === 'string' ? known[name] : undefined;
      if (value === undefined) {
        throw new AwsServiceError(
          'InvalidAttributeName',
          `The local queue reports ${Object.keys(known).join(', ')} only, not ${String(name)}.`,
        );
      }
      return [name, value];
    }),
  );
}

/**
 * Amazon SQS for the functions' SQSClient, over the JSON protocol it speaks: SendMessage and
 * SendMessageBatch hand each message to the queue registered under the URL's name, after checking
 * `sqs:SendMessage` on the queue's ARN for the signing function; GetQueueUrl and GetQueueAttributes
 * (QueueArn) answer as SQS does.
 */
export async function startSqsEndpoint({ authorize, port }: SqsEndpointOptions): Promise<SqsEndpoint> {
  const queues = new Map<string, ServedQueue>();

  /** Checks `action` before looking the queue up, so a function without the grant learns nothing of it. */
  const authorizedQueue = (name: string | undefined, { accessKeyId }: JsonCall, action: string) => {
    if (name === undefined) throw queueDoesNotExist();
    authorize(accessKeyId, action, queueArn(name));
    const served = queues.get(name);
    if (!served) throw queueDoesNotExist();
    return served;
  };
  const queueOfUrl = (call: JsonCall, action: string) =>
    authorizedQueue(queueNameIn(call.input.QueueUrl), call, action);

  const endpoint = await startJsonProtocolServer({
    targetPrefix: 'AmazonSQS',
    contentType: 'application/x-amz-json-1.0',
    port,
    operations: {
      SendMessage: (call) => sendMessage(queueOfUrl(call, 'sqs:SendMessage').queue, call.input),
      SendMessageBatch: async (call) => {
        const { queue } = queueOfUrl(call, 'sqs:SendMessage');
        const outcomes = await Promise.all(
          batchEntriesOf(call.input).map((entry) => sendBatchEntry(queue, entry)),
        );
        return {
          Successful: outcomes.flatMap(({ sent }) => (sent ? [sent] : [])),
          Failed: outcomes.flatMap(({ failed }) => (failed ? [failed] : [])),
        };
      },
      GetQueueUrl: (call) => {
        const name = typeof call.input.QueueName === 'string' ? call.input.QueueName : undefined;
        return { QueueUrl: authorizedQueue(name, call, 'sqs:GetQueueUrl').url };
      },
      GetQueueAttributes: (call) => {
        const { arn } = queueOfUrl(call, 'sqs:GetQueueAttributes');
        return { Attributes: selectAttributes({ QueueArn: arn }, call.input.AttributeNames) };
      },
    },
  });

  return {
    ...endpoint,
    addQueue(name, queue) {
      if (!namePattern.test(name)) {
        throw new Error(
          `${name} is no standard queue name: up to 80 letters, digits, hyphens and underscores`,
        );
      }
      if (queues.has(name)) throw new Error(`The local SQS endpoint already serves a queue named ${name}`);
      const served = { url: `${endpoint.url}/${localAccount.accountId}/${name}`, arn: queueArn(name), queue };
      queues.set(name, served);
      return { url: served.url, arn: served.arn };
    },
  };
}
