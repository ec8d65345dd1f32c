import { createHmac, randomBytes } from 'node:crypto';

/**
 * Signing per the Standard Webhooks specification: a secret is `whsec_` and base64 of its key
 * bytes; a signature is `v1,` and base64 of HMAC-SHA256 over `<id>.<timestamp>.<body>`.
 */
const secretPrefix = 'whsec_';
const secretBytes = 32;

/** A new signing secret, as the endpoint's owner sees it once. */
export const newSigningSecret = () => `${secretPrefix}${randomBytes(secretBytes).toString('base64')}`;

function keyOf(secret: string): Buffer {
  if (!secret.startsWith(secretPrefix)) throw new Error('A signing secret starts with whsec_');
  return Buffer.from(secret.slice(secretPrefix.length), 'base64');
}

export function signatureOf(secret: string, id: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${digest}`;
}

/**
 * The three headers of a delivery. With more than one secret (a rotation's grace period), each
 * signs and the signatures are sent space-separated: a receiver holding either secret verifies.
 */
export function deliveryHeaders(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string,
): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => signatureOf(secret, id, timestamp, body)).join(' '),
  };
}
