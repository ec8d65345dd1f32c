import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { type LocalEndpoint, serveLocally } from './json-protocol.ts';

export interface ServiceRouterOptions {
  /** The endpoint serving each JSON-protocol service, by its `X-Amz-Target` prefix (`AWSStepFunctions`). */
  readonly byTarget: Readonly<Record<string, string>>;
  /** The endpoint of REST requests by the start of their path: SES v2's, Lambda's. */
  readonly byPathPrefix: Readonly<Record<string, string>>;
  /** The endpoint of every other request without a target: S3's REST protocol. */
  readonly otherwise: string;
  /** 0 picks a free port; a stack started again in one process passes the port it had. */
  readonly port: number;
}

function forward(target: string, request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', target);
  const upstream = httpRequest(
    url,
    { method: request.method, headers: { ...request.headers, host: url.host } },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  upstream.on('error', (error) => {
    if (response.headersSent) response.destroy(error);
    else response.writeHead(502, { 'content-type': 'text/plain' }).end(error.message);
  });
  request.pipe(upstream);
}

/**
 * One address for every local AWS service, as `AWS_ENDPOINT_URL` points the SDK (and the AWS CLI)
 * at it: each request goes to the service its `X-Amz-Target` names, or the start of its path, or to S3.
 */
export function startServiceRouter({
  byTarget,
  byPathPrefix,
  otherwise,
  port,
}: ServiceRouterOptions): Promise<LocalEndpoint> {
  return serveLocally((request, response) => {
    const target = request.headers['x-amz-target'];
    const prefix = typeof target === 'string' ? target.split('.')[0] : undefined;
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const byPath = Object.entries(byPathPrefix).find(([start]) => path.startsWith(start))?.[1];
    forward((prefix && byTarget[prefix]) || byPath || otherwise, request, response);
  }, port);
}
