import { type SimulatedClock, secondsPerDay } from './clock.ts';
import { StripeApiError } from './errors.ts';

/** A response as sent, to be sent again for a retry with the same key. */
export interface SavedResponse {
  readonly status: number;
  readonly body: string;
  readonly requestId: string;
}

interface SavedRequest {
  readonly endpoint: string;
  readonly parameters: string;
  readonly savedAt: number;
  readonly response: SavedResponse;
}

/** Stripe may prune a key 24 hours after its first use; the simulator always does. */
const keyLifetimeSeconds = secondsPerDay;

const idempotencyError = (message: string) =>
  new StripeApiError(400, { type: 'idempotency_error', message }, false);

/** Stripe's idempotency layer: the first response for a key is replayed to every retry that matches it. */
export class IdempotencyStore {
  readonly #requests = new Map<string, SavedRequest>();

  constructor(private readonly clock: SimulatedClock) {}

  /**
   * The saved response for a retry, undefined for a new key; an `idempotency_error` when the key
   * was first used on another endpoint or with other parameters.
   */
  replay(scope: string, key: string, endpoint: string, parameters: string): SavedResponse | undefined {
    this.prune();
    const saved = this.#requests.get(`${scope}:${key}`);
    if (saved === undefined) return undefined;
    if (saved.endpoint !== endpoint) {
      throw idempotencyError(
        `Keys for idempotent requests can only be used for the same endpoint they were first used for ` +
          `('${saved.endpoint}' vs '${endpoint}'). Try using a key other than '${key}' if you meant to ` +
          'execute a different request.',
      );
    }
    if (saved.parameters !== parameters) {
      throw idempotencyError(
        'Keys for idempotent requests can only be used with the same parameters they were first used with. ' +
          `Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    return saved.response;
  }

  /** `scope` is the account the request acted for: keys belong to an account, as on Stripe. */
  save(scope: string, key: string, endpoint: string, parameters: string, response: SavedResponse): void {
    this.#requests.set(`${scope}:${key}`, { endpoint, parameters, savedAt: this.clock.now(), response });
  }

  /** Forgets keys older than 24 hours; they are in the order they were saved, oldest first. */
  prune(): void {
    const oldest = this.clock.now() - keyLifetimeSeconds;
    for (const [key, saved] of this.#requests) {
      if (saved.savedAt > oldest) return;
      this.#requests.delete(key);
    }
  }
}
