import Stripe from 'stripe';
import { SimulatedClock } from './clock.ts';
import type { OperationContext } from './context.ts';
import { automaticOrigin, createEvent, type EventOrigin } from './events.ts';
import { IdempotencyStore } from './idempotency.ts';
import { SimulatorState } from './state.ts';
import { type RetryPolicy, WebhookDelivery, type WebhookEndpoint } from './webhook-delivery.ts';

export interface SimulatorSettings {
  /** Where the simulator listens, for the URLs it hands out. */
  readonly baseUrl: string;
  readonly secretKey: string;
  readonly webhook?: WebhookEndpoint & Partial<RetryPolicy>;
  readonly latencyMs: number;
}

const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, firstRetryDelayMs: 100 };

/** The simulator's state, clock, idempotency keys and webhook delivery, shared by the API and the controls. */
export class Simulator {
  readonly state = new SimulatorState();
  readonly clock = new SimulatedClock();
  readonly idempotency = new IdempotencyStore(this.clock);
  readonly webhooks: WebhookDelivery;
  readonly baseUrl: string;
  readonly secretKey: string;
  /** Events carry the API version of the installed SDK, the version the platform's code is written against. */
  readonly apiVersion: string = Stripe.API_VERSION;
  latencyMs: number;
  /** API requests (of one `METHOD /path`, if given) still to run whose responses are then lost. */
  responsesToLose: { count: number; request?: string } = { count: 0 };

  constructor(settings: SimulatorSettings) {
    this.baseUrl = settings.baseUrl;
    this.secretKey = settings.secretKey;
    this.latencyMs = settings.latencyMs;
    const webhook = settings.webhook;
    this.webhooks = new WebhookDelivery(webhook && { url: webhook.url, secret: webhook.secret }, {
      maxAttempts: webhook?.maxAttempts ?? defaultRetryPolicy.maxAttempts,
      firstRetryDelayMs: webhook?.firstRetryDelayMs ?? defaultRetryPolicy.firstRetryDelayMs,
    });
  }

  /** The context operations run in; their events record `origin` as the request that caused them. */
  context(origin: EventOrigin = automaticOrigin): OperationContext {
    return {
      state: this.state,
      clock: this.clock,
      baseUrl: this.baseUrl,
      emit: (type, object, details = {}) => {
        const event = createEvent({
          type,
          object,
          ...details,
          origin,
          created: this.clock.now(),
          apiVersion: this.apiVersion,
          pendingWebhooks: this.webhooks.hasEndpoint ? 1 : 0,
        });
        this.state.events.set(event.id, event);
        this.webhooks.publish(event);
      },
    };
  }
}
