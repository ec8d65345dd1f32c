import { routes } from '#functions/routes.ts';

/**
 * The headers a browser asks the preflight for before POST /checkouts: the token, the JSON body and
 * the Idempotency-Key; add any other header web clients send.
 */
export const preflightRequestHeaders: readonly string[] = [
  'authorization',
  'content-type',
  'idempotency-key',
];

export interface SmokeTarget {
  /** The API's base URL, without a trailing slash. */
  readonly api: string;
  /** A signed-in user's bearer token (any buyer's): the token-protected reads are checked with it. */
  readonly token?: string;
  /** The Origin the CORS preflight comes from: one of the deployment's corsAllowOrigins. */
  readonly origin: string;
}

export interface CheckResult {
  readonly name: string;
  readonly passed: boolean;
  readonly reason: string;
}

/** Each request may take this long: the first one a function serves starts it cold. */
const requestTimeoutMs = 15_000;

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

class Unreachable extends Error {}

async function request(target: SmokeTarget, path: string, init: RequestInit = {}): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(`${target.api}${path}`, {
      ...init,
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Unreachable(`unreachable: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
  const text = await response.text();
  let body: unknown = text;
  if (/json/.test(response.headers.get('content-type') ?? '')) {
    try {
      body = JSON.parse(text);
    } catch {
      // Reported below as a body without the expected fields.
    }
  }
  return { status: response.status, headers: response.headers, body };
}

const field = (body: unknown, name: string): unknown =>
  body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;

/** What went wrong with an unexpected answer: its status, and its problem's code and detail if any. */
function unexpected({ status, body }: Answer, expected: string): string {
  const code = field(body, 'code') ?? field(body, 'message');
  const detail = field(body, 'detail');
  return `expected ${expected}, got ${status}${code ? ` ${String(code)}` : ''}${detail ? `: ${String(detail)}` : ''}`;
}

type Check = (target: SmokeTarget) => Promise<string>;

/** A failed check: the reason is printed. */
class CheckFailed extends Error {}

const fail = (reason: string): never => {
  throw new CheckFailed(reason);
};

const health: Check = async (target) => {
  const answer = await request(target, routes.health.path);
  if (answer.status === 200 && field(answer.body, 'status') === 'ok') return 'up, every setting given';
  if (answer.status === 503 && field(answer.body, 'status') === 'degraded') {
    const names = (name: string) => (field(answer.body, name) as string[] | undefined) ?? [];
    const missing = names('missing');
    const invalid = names('invalid');
    const stripe = [...missing, ...invalid].some((name) => name.startsWith('stripe.'));
    return fail(
      `up but degraded: ${[
        ...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []),
        ...(invalid.length > 0 ? [`malformed ${invalid.join(', ')}`] : []),
      ].join('; ')}${stripe ? ' (fill the Stripe secret in: npm run configure -- stripe)' : ''}`,
    );
  }
  return fail(unexpected(answer, '200 ok'));
};

const openApi: Check = async (target) => {
  const answer = await request(target, routes.openApi.path);
  const paths = field(answer.body, 'paths');
  if (
    answer.status !== 200 ||
    field(answer.body, 'openapi') !== '3.1.0' ||
    !paths ||
    typeof paths !== 'object'
  ) {
    return fail(unexpected(answer, 'an OpenAPI 3.1 document'));
  }
  return `OpenAPI 3.1, ${Object.keys(paths).length} paths`;
};

/** The comma-separated header's values in lower case; `*` allows anything. */
const listed = (headers: Headers, name: string) =>
  (headers.get(name) ?? '')
    .split(',')
    .map((value) => value.trim().toLowerCase())
    .filter(Boolean);

const corsPreflight: Check = async (target) => {
  const answer = await request(target, routes.placeCheckout.path, {
    method: 'OPTIONS',
    headers: {
      origin: target.origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': preflightRequestHeaders.join(','),
    },
  });
  if (answer.status < 200 || answer.status > 299) return fail(unexpected(answer, 'a 2xx preflight answer'));
  const allowedOrigin = answer.headers.get('access-control-allow-origin');
  if (allowedOrigin !== '*' && allowedOrigin !== target.origin) {
    return fail(`${target.origin} may not call the API (pass --origin one of the stack's corsAllowOrigins)`);
  }
  const methods = listed(answer.headers, 'access-control-allow-methods');
  if (!methods.includes('*') && !methods.includes('post'))
    return fail(`POST is not allowed (${methods.join(',')})`);
  const headers = listed(answer.headers, 'access-control-allow-headers');
  const refused = preflightRequestHeaders.filter((name) => !headers.includes('*') && !headers.includes(name));
  if (refused.length > 0) return fail(`the headers ${refused.join(', ')} are not allowed`);
  return `POST from ${target.origin} with ${preflightRequestHeaders.join(', ')} allowed`;
};

const search: Check = async (target) => {
  const answer = await request(target, `${routes.searchListings.path}?q=smoke&limit=1`);
  if (answer.status !== 200 || !Array.isArray(field(answer.body, 'items'))) {
    return fail(unexpected(answer, '200 and a page of listings'));
  }
  return `answered anonymously (${String(field(answer.body, 'total'))} matches)`;
};

const ordersPath = `${routes.listMyOrders.path}?limit=1`;

const anonymousRefused: Check = async (target) => {
  const answer = await request(target, ordersPath);
  if (answer.status !== 401) return fail(unexpected(answer, '401 without a token'));
  return 'refused without a token (401)';
};

/** Stripe's deliveries must reach the route and be verified: one with a forged signature is refused. */
const webhookVerifies: Check = async (target) => {
  const answer = await request(target, routes.receiveStripeWebhook.path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': 't=0,v1=smoke-check' },
    body: '{}',
  });
  if (answer.status !== 400 || field(answer.body, 'code') !== 'invalid_signature') {
    return fail(unexpected(answer, '400 invalid_signature for a forged delivery'));
  }
  return 'refuses a forged delivery (400 invalid_signature)';
};

const signedInRead: Check = async (target) => {
  const answer = await request(target, ordersPath, { headers: { authorization: `Bearer ${target.token}` } });
  if (answer.status === 401)
    return fail("the token was refused (401): expired, or not of this stack's user pool");
  if (answer.status === 403) return fail("the token's user is neither buyer, seller nor admin (403)");
  if (answer.status !== 200 || !Array.isArray(field(answer.body, 'items'))) {
    return fail(unexpected(answer, '200 and a page of orders'));
  }
  return 'a signed-in user reads their orders';
};

/** The checks, one line each, in the order they run; the signed-in ones only with a token. */
function checksFor(target: SmokeTarget): readonly (readonly [string, Check])[] {
  return [
    [`GET ${routes.health.path}`, health],
    [`GET ${routes.openApi.path}`, openApi],
    [`OPTIONS ${routes.placeCheckout.path} (CORS preflight)`, corsPreflight],
    [`GET ${routes.searchListings.path}`, search],
    [`GET ${routes.listMyOrders.path} without a token`, anonymousRefused],
    [`POST ${routes.receiveStripeWebhook.path}`, webhookVerifies],
    ...(target.token ? ([[`GET ${routes.listMyOrders.path} with the token`, signedInRead]] as const) : []),
  ];
}

/** Runs every check, one after the other, each reported as soon as it ends. */
export async function runChecks(
  target: SmokeTarget,
  report: (result: CheckResult) => void,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [name, check] of checksFor(target)) {
    let result: CheckResult;
    try {
      result = { name, passed: true, reason: await check(target) };
    } catch (error) {
      if (!(error instanceof CheckFailed) && !(error instanceof Unreachable)) throw error;
      result = { name, passed: false, reason: error.message };
    }
    results.push(result);
    report(result);
  }
  return results;
}
