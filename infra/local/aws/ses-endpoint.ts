import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MailSink } from '../mail-sink.ts';
import type { Authorize } from './authorization.ts';
import { AwsServiceError, accessKeyOf, type LocalEndpoint, serveLocally } from './json-protocol.ts';
import { localSesArn } from './resource-kinds.ts';

/** The path of SES v2's SendEmail: the one operation the functions call. */
export const sendEmailPath = '/v2/email/outbound-emails';

export interface SesEndpointOptions {
  readonly authorize: Authorize;
  readonly sink: MailSink;
}

interface SendEmailInput {
  readonly FromEmailAddress?: string;
  readonly Destination?: { readonly ToAddresses?: readonly string[] };
  readonly ConfigurationSetName?: string;
  readonly Content?: {
    readonly Simple?: {
      readonly Subject?: { readonly Data?: string };
      readonly Body?: {
        readonly Text?: { readonly Data?: string };
        readonly Html?: { readonly Data?: string };
      };
    };
  };
}

/**
 * SES may send from the address when its role allows the address's identity or its domain's, and
 * with the configuration set named, as SES authorises SendEmail.
 */
function authorizeSending(authorize: Authorize, accessKeyId: string | undefined, input: SendEmailInput) {
  const from = input.FromEmailAddress ?? '';
  const [addressIdentity, domainIdentity] = [from, from.slice(from.indexOf('@') + 1)].map((name) =>
    localSesArn('identity', name),
  ) as [string, string];
  try {
    authorize(accessKeyId, 'ses:SendEmail', addressIdentity);
  } catch {
    authorize(accessKeyId, 'ses:SendEmail', domainIdentity);
  }
  if (input.ConfigurationSetName) {
    authorize(accessKeyId, 'ses:SendEmail', localSesArn('configuration-set', input.ConfigurationSetName));
  }
}

async function sendEmail(request: IncomingMessage, { authorize, sink }: SesEndpointOptions) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as SendEmailInput;
  authorizeSending(authorize, accessKeyOf(request), input);
  const simple = input.Content?.Simple;
  const to = input.Destination?.ToAddresses ?? [];
  if (!input.FromEmailAddress || to.length === 0 || !simple?.Subject?.Data) {
    throw new AwsServiceError(
      'BadRequestException',
      'A sender, a recipient and a simple subject are required.',
    );
  }
  const mail = await sink.capture({
    from: input.FromEmailAddress,
    to,
    ...(input.ConfigurationSetName ? { configurationSet: input.ConfigurationSetName } : {}),
    subject: simple.Subject.Data,
    ...(simple.Body?.Text?.Data ? { text: simple.Body.Text.Data } : {}),
    ...(simple.Body?.Html?.Data ? { html: simple.Body.Html.Data } : {}),
  });
  return { MessageId: mail.id };
}

function answer(response: ServerResponse, status: number, body: unknown, errorType?: string) {
  response.writeHead(status, {
    'content-type': 'application/json',
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(JSON.stringify(body));
}

/**
 * Amazon SES v2 on this machine, for SendEmail: checks the caller's role in the template as SES
 * would, then puts the message in the mail sink instead of sending it.
 */
export function startSesEndpoint(options: SesEndpointOptions): Promise<LocalEndpoint> {
  return serveLocally((request, response) => {
    if (request.method !== 'POST' || request.url !== sendEmailPath) {
      answer(
        response,
        404,
        { message: `This local endpoint does not serve ${request.method} ${request.url}` },
        'NotFoundException',
      );
      return;
    }
    sendEmail(request, options).then(
      (output) => answer(response, 200, output),
      (error: unknown) => {
        const failure =
          error instanceof AwsServiceError
            ? error
            : new AwsServiceError('InternalFailure', String(error), 500);
        const status = failure.type === 'AccessDeniedException' ? 403 : failure.status;
        answer(response, status, { message: failure.message }, failure.type);
      },
    );
  });
}
