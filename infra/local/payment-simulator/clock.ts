export const secondsPerDay = 86_400;

/** Wall-clock time that tests can move forward, to reach authorisation expiry or key pruning. */
export class SimulatedClock {
  #offsetSeconds = 0;

  /** Unix seconds, as in Stripe's `created` fields. */
  now(): number {
    return Math.floor(Date.now() / 1000) + this.#offsetSeconds;
  }

  advance(seconds: number): void {
    if (!Number.isInteger(seconds) || seconds < 0) {
      throw new RangeError(`The clock only moves forward by whole seconds, not ${seconds}`);
    }
    this.#offsetSeconds += seconds;
  }
}
