import Stripe from 'stripe';
import type { SimEvent } from './objects.ts';

export interface WebhookEndpoint {
  readonly url: string;
  /** The endpoint's signing secret (`whsec_…`), as `constructEvent` will check it. */
  readonly secret: string;
}

export interface RetryPolicy {
  /** Attempts per delivery, the first included. Stripe keeps trying for three days; tests cannot wait that long. */
  readonly maxAttempts: number;
  /** Wait before the first retry; each further retry waits twice as long. */
  readonly firstRetryDelayMs: number;
}

export interface DeliveryAttempt {
  readonly eventId: string;
  readonly type: string;
  readonly attempt: number;
  /** The endpoint's HTTP status; undefined when it could not be reached in time. */
  readonly status?: number;
  /** A 2xx answer: Stripe counts the event as delivered. */
  readonly delivered: boolean;
}

/** The order held events go out in: as they happened, the reverse, or the given event ids first. */
export type ReleaseOrder = 'as-emitted' | 'reversed' | readonly string[];

const attemptTimeoutMs = 10_000;

/**
 * Sends events to the webhook endpoint the way Stripe does: asynchronously, as a POST of the
 * JSON event signed in `Stripe-Signature`, retried with backoff until a 2xx answer. New events go
 * out one at a time in the order they happened, unless held and released in another order;
 * `resend` delivers copies concurrently.
 */
export class WebhookDelivery {
  readonly #attempts: DeliveryAttempt[] = [];
  readonly #retryTimers = new Set<NodeJS.Timeout>();
  #held: SimEvent[] | undefined;
  #firstAttempts = Promise.resolve();
  #inProgress = 0;
  #whenSettled: (() => void)[] = [];
  #stopped = false;

  constructor(
    private readonly endpoint: WebhookEndpoint | undefined,
    private readonly retry: RetryPolicy,
  ) {}

  get hasEndpoint(): boolean {
    return this.endpoint !== undefined;
  }

  publish(event: SimEvent): void {
    if (this.#held) this.#held.push(event);
    else this.#inOrder(event);
  }

  /** Keeps new events back until `release`. */
  hold(): void {
    this.#held ??= [];
  }

  /**
   * Sends held events in the given order. With a list of ids only those go out, and holding goes
   * on for the rest; otherwise all go and holding stops.
   */
  release(order: ReleaseOrder = 'as-emitted'): SimEvent[] {
    const held = this.#held;
    if (!held) return [];
    let released: SimEvent[];
    if (typeof order === 'string') {
      released = order === 'reversed' ? [...held].reverse() : held;
      this.#held = undefined;
    } else {
      released = order.map((id) => {
        const event = held.find((candidate) => candidate.id === id);
        if (!event) throw new Error(`Event ${id} is not held`);
        return event;
      });
      this.#held = held.filter((event) => !released.includes(event));
    }
    for (const event of released) this.#inOrder(event);
    return released;
  }

  /** Delivers the event `times` more times at once: Stripe's duplicate deliveries. */
  resend(event: SimEvent, times = 1): void {
    for (let copy = 0; copy < times; copy += 1) {
      this.#started();
      void this.#attempt(event, 1);
    }
  }

  attempts(): readonly DeliveryAttempt[] {
    return [...this.#attempts];
  }

  /** Resolves once every delivery has succeeded or used up its attempts. */
  settled(): Promise<void> {
    if (this.#inProgress === 0) return Promise.resolve();
    return new Promise((resolve) => this.#whenSettled.push(resolve));
  }

  /** Sends nothing more: retries waiting are dropped, attempts in flight finish. */
  stop(): void {
    this.#stopped = true;
    for (const timer of this.#retryTimers) {
      clearTimeout(timer);
      this.#finished();
    }
    this.#retryTimers.clear();
  }

  #inOrder(event: SimEvent): void {
    this.#started();
    this.#firstAttempts = this.#firstAttempts.then(() => this.#attempt(event, 1));
  }

  #started(): void {
    this.#inProgress += 1;
  }

  #finished(): void {
    this.#inProgress -= 1;
    if (this.#inProgress > 0) return;
    for (const resolve of this.#whenSettled.splice(0)) resolve();
  }

  async #attempt(event: SimEvent, attempt: number): Promise<void> {
    if (!this.endpoint || this.#stopped) return this.#finished();
    const status = await this.#post(this.endpoint, event);
    const delivered = status !== undefined && status >= 200 && status < 300;
    this.#attempts.push({ eventId: event.id, type: event.type, attempt, status, delivered });
    if (delivered || attempt >= this.retry.maxAttempts) return this.#finished();
    const timer = setTimeout(
      () => {
        this.#retryTimers.delete(timer);
        void this.#attempt(event, attempt + 1);
      },
      this.retry.firstRetryDelayMs * 2 ** (attempt - 1),
    );
    this.#retryTimers.add(timer);
  }

  async #post(endpoint: WebhookEndpoint, event: SimEvent): Promise<number | undefined> {
    const payload = JSON.stringify(event, null, 2);
    // Signed at each attempt with the current time, as Stripe does, so a retry passes the tolerance check.
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: endpoint.secret });
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': signature,
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        },
        body: payload,
        signal: AbortSignal.timeout(attemptTimeoutMs),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return undefined;
    }
  }
}
