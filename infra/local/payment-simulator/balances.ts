/** Who holds a balance: the platform, or a connected account by its id. */
export const platform = 'platform';

/**
 * Available balances in minor units per holder and currency. Every movement is available at
 * once: the simulator keeps no pending balance, no fees and no reserves.
 */
export class Balances {
  readonly #amounts = new Map<string, Map<string, number>>();

  available(holder: string, currency: string): number {
    return this.#amounts.get(holder)?.get(currency) ?? 0;
  }

  add(holder: string, currency: string, amount: number): void {
    const byCurrency = this.#amounts.get(holder) ?? new Map<string, number>();
    byCurrency.set(currency, (byCurrency.get(currency) ?? 0) + amount);
    this.#amounts.set(holder, byCurrency);
  }

  /** Moves `amount` from one holder to another (a transfer, or its reversal the other way). */
  move(from: string, to: string, currency: string, amount: number): void {
    this.add(from, currency, -amount);
    this.add(to, currency, amount);
  }

  list(holder: string): { amount: number; currency: string }[] {
    return [...(this.#amounts.get(holder) ?? new Map<string, number>())].map(([currency, amount]) => ({
      amount,
      currency,
    }));
  }
}
