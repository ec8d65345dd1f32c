/**
 * The platform's commission on a line: `rateBps` basis points of the line amount, rounded half up
 * to the minor unit (BigInt: amount × rate can pass 2^53). The rate is configured per deployment
 * until commission rules arrive with payments.
 */
export function lineCommission(amount: number, rateBps: number): number {
  return Number((BigInt(amount) * BigInt(rateBps) + 5_000n) / 10_000n);
}

export interface ProviderShare {
  readonly party: string;
  readonly userId: string;
  /** Basis points of the proceeds (the order total minus commission). */
  readonly shareBps: number;
}

/**
 * Splits the proceeds between the providers by their shares, each rounded down; the seller gets
 * the rest, so the parts always add up to exactly `proceeds`.
 */
export function splitProceeds(proceeds: number, sellerId: string, shares: readonly ProviderShare[]) {
  const providerParts = shares.map(({ party, userId, shareBps }) => ({
    party,
    userId,
    amount: Number((BigInt(proceeds) * BigInt(shareBps)) / 10_000n),
  }));
  const sellerAmount = proceeds - providerParts.reduce((sum, part) => sum + part.amount, 0);
  return [{ party: 'seller', userId: sellerId, amount: sellerAmount }, ...providerParts];
}
