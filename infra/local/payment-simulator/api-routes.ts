import type { OperationContext } from './context.ts';
import type { FormHash } from './form.ts';
import { createAccount, createAccountLink, retrieveAccount } from './resources/accounts.ts';
import { retrieveBalance } from './resources/balance.ts';
import { retrieveCharge } from './resources/charges.ts';
import { retrieveDispute } from './resources/disputes.ts';
import { retrieveEvent } from './resources/events.ts';
import {
  cancelPaymentIntent,
  capturePaymentIntent,
  confirmPaymentIntent,
  createPaymentIntent,
  retrievePaymentIntent,
} from './resources/payment-intents.ts';
import { retrievePayout } from './resources/payouts.ts';
import { createRefund, listRefunds, retrieveRefund } from './resources/refunds.ts';
import {
  createTransfer,
  createTransferReversal,
  listTransfers,
  retrieveTransfer,
} from './resources/transfers.ts';
import type { Route } from './router.ts';

export interface ApiRequest {
  /** The form body of a POST, the query of a GET. */
  readonly form: FormHash;
  readonly pathParams: Record<string, string>;
  /** The `Stripe-Account` header, on the routes that read connected accounts. */
  readonly stripeAccount: string | undefined;
}

export interface ApiRoute extends Route {
  readonly method: 'GET' | 'POST';
  /** The fields `expand[]` may name. */
  readonly expandable: readonly string[];
  /** Whether `Stripe-Account` may name a connected account (Connect reads). */
  readonly connected: boolean;
  /** The query parameters a GET takes besides `expand`: a list's filters. */
  readonly query: readonly string[];
  readonly run: (context: OperationContext, request: ApiRequest) => object;
}

type Options = Partial<Pick<ApiRoute, 'expandable' | 'connected' | 'query'>>;

const route =
  (method: ApiRoute['method']) =>
  (path: string, run: ApiRoute['run'], options: Options = {}): ApiRoute => ({
    method,
    path,
    run,
    expandable: options.expandable ?? [],
    connected: options.connected ?? false,
    query: options.query ?? [],
  });
const get = route('GET');
const post = route('POST');

const param = (request: ApiRequest, name: string) => request.pathParams[name] ?? '';

/** The Stripe endpoints a separate-charges-and-transfers Connect platform uses, and nothing else. */
export const apiRoutes: readonly ApiRoute[] = [
  post('/v1/accounts', (context, request) => createAccount(context, request.form)),
  get('/v1/accounts/{account}', (context, request) => retrieveAccount(context, param(request, 'account'))),
  post('/v1/account_links', (context, request) => createAccountLink(context, request.form)),

  post('/v1/payment_intents', (context, request) => createPaymentIntent(context, request.form), {
    expandable: ['latest_charge'],
  }),
  get(
    '/v1/payment_intents/{intent}',
    (context, request) => retrievePaymentIntent(context, param(request, 'intent')),
    {
      expandable: ['latest_charge'],
    },
  ),
  post(
    '/v1/payment_intents/{intent}/confirm',
    (context, request) => confirmPaymentIntent(context, param(request, 'intent'), request.form),
    { expandable: ['latest_charge'] },
  ),
  post(
    '/v1/payment_intents/{intent}/capture',
    (context, request) => capturePaymentIntent(context, param(request, 'intent'), request.form),
    { expandable: ['latest_charge'] },
  ),
  post(
    '/v1/payment_intents/{intent}/cancel',
    (context, request) => cancelPaymentIntent(context, param(request, 'intent'), request.form),
    { expandable: ['latest_charge'] },
  ),
  get('/v1/charges/{charge}', (context, request) => retrieveCharge(context, param(request, 'charge')), {
    expandable: ['payment_intent'],
  }),

  post('/v1/refunds', (context, request) => createRefund(context, request.form), {
    expandable: ['charge', 'payment_intent'],
  }),
  get('/v1/refunds', (context, request) => listRefunds(context, request.form), {
    query: ['payment_intent', 'limit'],
  }),
  get('/v1/refunds/{refund}', (context, request) => retrieveRefund(context, param(request, 'refund')), {
    expandable: ['charge', 'payment_intent'],
  }),

  post('/v1/transfers', (context, request) => createTransfer(context, request.form), {
    expandable: ['destination', 'source_transaction'],
  }),
  get('/v1/transfers', (context, request) => listTransfers(context, request.form), {
    query: ['destination', 'transfer_group', 'limit'],
  }),
  get('/v1/transfers/{id}', (context, request) => retrieveTransfer(context, param(request, 'id')), {
    expandable: ['destination', 'source_transaction'],
  }),
  post(
    '/v1/transfers/{id}/reversals',
    (context, request) => createTransferReversal(context, param(request, 'id'), request.form),
    { expandable: ['transfer'] },
  ),

  get('/v1/disputes/{dispute}', (context, request) => retrieveDispute(context, param(request, 'dispute')), {
    expandable: ['charge', 'payment_intent'],
  }),
  get(
    '/v1/payouts/{payout}',
    (context, request) => retrievePayout(context, param(request, 'payout'), request.stripeAccount),
    { connected: true },
  ),
  get('/v1/balance', (context, request) => retrieveBalance(context, request.stripeAccount), {
    connected: true,
  }),
  get(
    '/v1/events/{id}',
    (context, request) => retrieveEvent(context, param(request, 'id'), request.stripeAccount),
    {
      connected: true,
    },
  ),
];
