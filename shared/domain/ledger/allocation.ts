/**
 * Splits `amount` (minor units) into parts proportional to `weights` that add up to exactly
 * `amount`, by largest remainder: every part is first rounded down, then the units left over go
 * one each to the parts with the largest remainders, the earlier part first when remainders are
 * equal. BigInt arithmetic: amount × weight can pass 2^53.
 *
 * When `amount` is at most the weights' sum, no part exceeds its weight, and when it equals the
 * sum every part is exactly its weight. So taking from several holders in proportion to what each
 * still holds never takes more than anyone holds, and taking the rest empties every holder exactly.
 */
export function allocate(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + BigInt(weight), 0n);
  if (amount === 0) return weights.map(() => 0);
  if (total === 0n) throw new Error(`cannot split ${amount} between nothing`);
  const shares = weights.map((weight) => BigInt(amount) * BigInt(weight));
  const parts = shares.map((share) => share / total);
  const leftOver = BigInt(amount) - parts.reduce((sum, part) => sum + part, 0n);
  const byRemainder = shares
    .map((share, index) => ({ index, remainder: share % total }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of byRemainder.slice(0, Number(leftOver))) parts[index] = (parts[index] ?? 0n) + 1n;
  return parts.map(Number);
}
