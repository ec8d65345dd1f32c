import { type ApiRoute, apiRoutes } from './api-routes.ts';
import { authenticate } from './auth.ts';
import { invalidParameter, invalidRequest, StripeApiError } from './errors.ts';
import type { EventOrigin } from './events.ts';
import { canonicalForm, type FormHash, parseForm } from './form.ts';
import { header, type SimulatorHttpRequest, type SimulatorHttpResponse } from './http.ts';
import { newId } from './ids.ts';
import { formList, refuseUnknownParameters } from './params.ts';
import { matchRoute } from './router.ts';
import type { Simulator } from './simulator.ts';

type Answer = Pick<SimulatorHttpResponse, 'status' | 'body'>;

/** A request that passed authentication and routing. */
interface ApiCall {
  readonly route: ApiRoute;
  readonly pathParams: Record<string, string>;
  readonly form: FormHash;
  readonly expand: readonly string[];
  readonly stripeAccount: string | undefined;
}

/** Stripe answers in indented JSON. */
const json = (value: unknown) => JSON.stringify(value, null, 2);

function routeCall(request: SimulatorHttpRequest): ApiCall {
  const match = matchRoute(apiRoutes, request.method, request.path);
  if (!match) {
    const message =
      `Unrecognized request URL (${request.method}: ${request.path}). ` +
      'Please see https://stripe.com/docs or we can help at https://support.stripe.com/.';
    throw new StripeApiError(404, { type: 'invalid_request_error', message }, false);
  }
  const { route, pathParams } = match;
  const form = parseForm(route.method === 'GET' ? request.query : request.body);
  if (route.method === 'GET') refuseUnknownParameters(form, route.query);
  const expand = formList(form.expand, 'expand');
  for (const path of expand) {
    if (!route.expandable.includes(path)) {
      throw invalidParameter(`This property cannot be expanded (${path}).`, 'expand');
    }
  }
  const stripeAccount = header(request.headers, 'stripe-account');
  if (stripeAccount !== undefined && !route.connected) {
    throw invalidRequest(
      'The simulator implements separate charges and transfers: Stripe-Account is accepted only to read ' +
        'balances, payouts and events of connected accounts.',
      { param: 'Stripe-Account' },
    );
  }
  return { route, pathParams, form, expand, stripeAccount };
}

const errorAnswer = (error: StripeApiError): Answer => ({
  status: error.status,
  body: json({ error: error.body }),
});

/** Runs the endpoint; `kept` tells whether it started executing, so Stripe keeps the result for the key. */
function execute(simulator: Simulator, call: ApiCall, origin: EventOrigin): Answer & { kept: boolean } {
  try {
    const object = call.route.run(simulator.context(origin), call);
    const result: Record<string, unknown> = { ...object };
    for (const field of call.expand) {
      const id = result[field];
      if (typeof id === 'string') result[field] = simulator.state.lookup(id) ?? id;
    }
    return { status: 200, body: json(result), kept: true };
  } catch (error) {
    if (error instanceof StripeApiError) return { ...errorAnswer(error), kept: error.keptForIdempotency };
    throw error;
  }
}

/** The first answer for an `Idempotency-Key` is saved and replayed to every retry with that key. */
function executeOnce(
  simulator: Simulator,
  call: ApiCall,
  request: SimulatorHttpRequest,
  origin: { readonly requestId: string; readonly idempotencyKey: string },
  headers: Record<string, string>,
): Answer {
  headers['idempotency-key'] = origin.idempotencyKey;
  const scope = call.stripeAccount ?? 'platform';
  const key = origin.idempotencyKey;
  const endpoint = `${request.method} ${request.path}`;
  const parameters = canonicalForm(call.form);
  const saved = simulator.idempotency.replay(scope, key, endpoint, parameters);
  if (saved) {
    headers['idempotent-replayed'] = 'true';
    headers['original-request'] = saved.requestId;
    return saved;
  }
  const answer = execute(simulator, call, origin);
  if (answer.kept) {
    simulator.idempotency.save(scope, key, endpoint, parameters, { ...answer, requestId: origin.requestId });
  }
  return answer;
}

/** One Stripe API request, answered as Stripe would, errors included. */
export function handleApiRequest(simulator: Simulator, request: SimulatorHttpRequest): SimulatorHttpResponse {
  const requestId = newId('req', 14);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'request-id': requestId,
    'stripe-version': header(request.headers, 'stripe-version') ?? simulator.apiVersion,
  };
  try {
    authenticate(simulator.secretKey, header(request.headers, 'authorization'));
    const call = routeCall(request);
    const idempotencyKey =
      call.route.method === 'POST' ? header(request.headers, 'idempotency-key') : undefined;
    const answer =
      idempotencyKey === undefined
        ? execute(simulator, call, { requestId, idempotencyKey: null })
        : executeOnce(simulator, call, request, { requestId, idempotencyKey }, headers);
    return { status: answer.status, body: answer.body, headers };
  } catch (error) {
    if (error instanceof StripeApiError) return { ...errorAnswer(error), headers };
    const body = json({ error: { type: 'api_error', message: `The simulator failed: ${String(error)}` } });
    return { status: 500, body, headers };
  }
}
