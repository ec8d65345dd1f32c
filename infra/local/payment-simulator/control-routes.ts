import * as z from 'zod';
import { authenticate } from './auth.ts';
import type { PaymentSimulatorControls } from './controls.ts';
import { StripeApiError } from './errors.ts';
import { header, type SimulatorHttpRequest, type SimulatorHttpResponse } from './http.ts';
import { disabledReasons } from './resources/accounts.ts';
import { payoutFailures } from './resources/payouts.ts';
import { matchRoute, type Route } from './router.ts';

/** A control's HTTP form: `POST /_simulator/…` with a JSON body whose fields are the TypeScript options. */
interface ControlRoute extends Route {
  readonly method: 'GET' | 'POST';
  readonly run: (controls: PaymentSimulatorControls, input: ControlInput) => unknown;
}

interface ControlInput {
  readonly pathParams: Record<string, string>;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

const get = (path: string, run: ControlRoute['run']): ControlRoute => ({ method: 'GET', path, run });
const post = (path: string, run: ControlRoute['run']): ControlRoute => ({ method: 'POST', path, run });

const param = (input: ControlInput, name: string) => input.pathParams[name] ?? '';
const amount = z.int().positive();

const schemas = {
  advance: z.object({ seconds: z.int().nonnegative() }),
  latency: z.object({ ms: z.int().nonnegative() }),
  lostResponses: z.object({ count: z.int().nonnegative(), request: z.string().optional() }),
  rejection: z.object({
    disabledReason: z.enum(disabledReasons).optional(),
    currentlyDue: z.array(z.string()).optional(),
  }),
  payout: z.object({
    currency: z.string().length(3),
    amount: amount.optional(),
    outcome: z.enum(['paid', 'failed']).optional(),
    failureCode: z.enum(Object.keys(payoutFailures) as [keyof typeof payoutFailures]).optional(),
  }),
  authentication: z.object({ required: z.boolean() }),
  authenticationOutcome: z.object({ outcome: z.enum(['succeeded', 'failed']).optional() }),
  dispute: z.object({ payment: z.string(), amount: amount.optional(), reason: z.string().optional() }),
  disputeOutcome: z.object({ outcome: z.enum(['won', 'lost']) }),
  funds: z.object({ amount, currency: z.string().length(3) }),
  release: z.object({ order: z.union([z.enum(['as-emitted', 'reversed']), z.array(z.string())]).optional() }),
  resend: z.object({ times: z.int().positive().optional() }),
};

const controlRoutes: readonly ControlRoute[] = [
  post('/_simulator/clock/advance', (controls, input) => {
    controls.advanceClock(schemas.advance.parse(input.body).seconds);
    return { now: controls.now() };
  }),
  post('/_simulator/latency', (controls, input) => controls.setLatency(schemas.latency.parse(input.body).ms)),
  post('/_simulator/lose_responses', (controls, input) => {
    const { count, request } = schemas.lostResponses.parse(input.body);
    controls.loseNextResponses(count, request);
  }),
  post('/_simulator/accounts/{account}/complete_onboarding', (controls, input) =>
    controls.completeOnboarding(param(input, 'account')),
  ),
  post('/_simulator/accounts/{account}/reject_onboarding', (controls, input) =>
    controls.rejectOnboarding(param(input, 'account'), schemas.rejection.parse(input.body)),
  ),
  post('/_simulator/accounts/{account}/payouts', (controls, input) =>
    controls.payout(param(input, 'account'), schemas.payout.parse(input.body)),
  ),
  post('/_simulator/authentication', (controls, input) =>
    controls.requireAuthentication(schemas.authentication.parse(input.body).required),
  ),
  post('/_simulator/payment_intents/{intent}/complete_authentication', (controls, input) =>
    controls.completeAuthentication(
      param(input, 'intent'),
      schemas.authenticationOutcome.parse(input.body).outcome,
    ),
  ),
  post('/_simulator/disputes', (controls, input) => {
    const { payment, ...options } = schemas.dispute.parse(input.body);
    return controls.openDispute(payment, options);
  }),
  post('/_simulator/disputes/{dispute}/close', (controls, input) =>
    controls.closeDispute(param(input, 'dispute'), schemas.disputeOutcome.parse(input.body).outcome),
  ),
  post('/_simulator/balance/fund', (controls, input) => {
    const { amount, currency } = schemas.funds.parse(input.body);
    controls.fundPlatform(amount, currency);
  }),
  get('/_simulator/balance', (controls, input) => controls.balance(input.query.get('account') ?? undefined)),
  get('/_simulator/events', (controls, input) => controls.events(input.query.get('type') ?? undefined)),
  post('/_simulator/webhooks/hold', (controls) => controls.webhooks.hold()),
  post('/_simulator/webhooks/release', (controls, input) =>
    controls.webhooks.release(schemas.release.parse(input.body).order),
  ),
  post('/_simulator/events/{event}/resend', (controls, input) =>
    controls.webhooks.resend(param(input, 'event'), schemas.resend.parse(input.body).times),
  ),
  get('/_simulator/webhooks/deliveries', (controls) => controls.webhooks.deliveries()),
];

const jsonResponse = (status: number, value: unknown): SimulatorHttpResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value, null, 2),
});

const errorResponse = (status: number, message: string) =>
  jsonResponse(status, { error: { type: 'invalid_request_error', message } });

function parseBody(body: string): unknown {
  try {
    return body === '' ? {} : JSON.parse(body);
  } catch {
    throw new StripeApiError(400, { type: 'invalid_request_error', message: 'The body is not JSON.' });
  }
}

/** Runs a control asked for over HTTP (with the simulator's secret key), for the local stack and CLIs. */
export function handleControlRequest(
  controls: PaymentSimulatorControls,
  secretKey: string,
  request: SimulatorHttpRequest,
): SimulatorHttpResponse {
  try {
    authenticate(secretKey, header(request.headers, 'authorization'));
    const match = matchRoute(controlRoutes, request.method, request.path);
    if (!match) return errorResponse(404, `No simulator control at ${request.method} ${request.path}.`);
    const input = {
      pathParams: match.pathParams,
      query: new URLSearchParams(request.query),
      body: parseBody(request.body),
    };
    const result = match.route.run(controls, input);
    return result === undefined ? { status: 204, headers: {}, body: '' } : jsonResponse(200, result);
  } catch (error) {
    if (error instanceof StripeApiError) return jsonResponse(error.status, { error: error.body });
    if (error instanceof z.ZodError) return errorResponse(400, z.prettifyError(error));
    return errorResponse(400, error instanceof Error ? error.message : String(error));
  }
}
