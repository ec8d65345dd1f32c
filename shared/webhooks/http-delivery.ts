import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';

/** A receiver has this long to answer a delivery. */
const deliveryTimeoutMs = 15_000;

export interface DeliveryResponse {
  readonly statusCode?: number;
  /** Seconds the receiver asked to wait (`Retry-After`), if it did. */
  readonly retryAfterSeconds?: number;
  readonly error?: string;
  readonly latencyMs: number;
}

function retryAfterOf(header: string | undefined, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header)) return Number(header);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * POSTs the body to the URL, connecting to `address`, the one checked, whatever the name resolves
 * to by now: a host that changes its DNS answer after the check still cannot lead anywhere else.
 */
export function postDelivery(
  url: string,
  address: string,
  headers: Readonly<Record<string, string>>,
  body: string,
): Promise<DeliveryResponse> {
  const started = Date.now();
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const done = (outcome: Omit<DeliveryResponse, 'latencyMs'>) =>
      resolve({ ...outcome, latencyMs: Date.now() - started });
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'marketplace-webhooks' },
        timeout: deliveryTimeoutMs,
        lookup: (_host, _options, callback) => callback(null, address, isIP(address) || 4),
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          const retryAfter = retryAfterOf(response.headers['retry-after'], Date.now());
          done({
            statusCode: response.statusCode ?? 0,
            ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
          });
        });
      },
    );
    outgoing.on('timeout', () =>
      outgoing.destroy(new Error(`no answer within ${deliveryTimeoutMs / 1000} s`)),
    );
    outgoing.on('error', (error) => done({ error: error.message }));
    outgoing.end(body);
  });
}
