import { describe, expect, it } from 'vitest';
import { lineCommission, type ProviderShare, splitProceeds } from '#shared/domain/commission.ts';

describe('lineCommission', () => {
  it.each([
    // amount, rate (bps), commission: exactly half a minor unit rounds up, just below rounds down
    [5, 1000, 1], // 0.5
    [15, 1000, 2], // 1.5
    [25, 1000, 3], // 2.5
    [4, 1000, 0], // 0.4
    [6, 1000, 1], // 0.6
    [1, 5000, 1], // 0.5
    [3, 5000, 2], // 1.5
    [4999, 1, 0], // 0.4999
    [5000, 1, 1], // 0.5
    [5001, 1, 1], // 0.5001
    [14999, 1, 1], // 1.4999
    [15000, 1, 2], // 1.5
    [3015, 1000, 302], // 301.5
    [9998, 1000, 1000], // 999.8
    [4999, 250, 125], // 124.975
  ])('%i at %i bps is %i', (amount, rateBps, commission) => {
    expect(lineCommission(amount, rateBps)).toBe(commission);
  });

  it('takes nothing at 0 bps and everything at 10000 bps', () => {
    for (const amount of [0, 1, 5, 4999, 123_456_789, 999_999_999_999]) {
      expect(lineCommission(amount, 0)).toBe(0);
      expect(lineCommission(amount, 10_000)).toBe(amount);
    }
  });

  it('stays exact for amounts near 1e12, where amount × rate passes 2^53', () => {
    expect(lineCommission(1_000_000_000_000, 10_000)).toBe(1_000_000_000_000);
    expect(lineCommission(999_999_999_999, 1)).toBe(100_000_000); // 99 999 999.9999
    expect(lineCommission(1_234_567_890_123, 7_500)).toBe(925_925_917_592); // ...592.25
    expect(lineCommission(2_000_000_000_001, 5_000)).toBe(1_000_000_000_001); // ...000.5
    // 999 999 995 001 × 9999 = 9 998 999 950 014 999, an odd number above 2^53: in floating
    // point it becomes ...015 000 and would round up to 999 899 995 002.
    expect(999_999_995_001 * 9_999).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
    expect(lineCommission(999_999_995_001, 9_999)).toBe(999_899_995_001);
  });
});

/** A small deterministic generator (mulberry32), so a failing case can be replayed. */
function random(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * below);
  };
}

const sum = (parts: readonly { amount: number }[]) => parts.reduce((total, part) => total + part.amount, 0);

describe('splitProceeds', () => {
  it('pays providers their shares rounded down and the seller the rest', () => {
    const shares: ProviderShare[] = [
      { party: 'designer', userId: 'designer-1', shareBps: 3333 },
      { party: 'manufacturer', userId: 'maker-1', shareBps: 3333 },
    ];
    // 3333 bps of 100 = 33.33 -> 33 each; the seller gets 34
    expect(splitProceeds(100, 'seller-1', shares)).toEqual([
      { party: 'seller', userId: 'seller-1', amount: 34 },
      { party: 'designer', userId: 'designer-1', amount: 33 },
      { party: 'manufacturer', userId: 'maker-1', amount: 33 },
    ]);
  });

  it('gives the seller everything without providers, and nothing when providers take it all', () => {
    expect(splitProceeds(4999, 'seller-1', [])).toEqual([
      { party: 'seller', userId: 'seller-1', amount: 4999 },
    ]);
    const all = splitProceeds(4999, 'seller-1', [
      { party: 'designer', userId: 'd', shareBps: 5000 },
      { party: 'manufacturer', userId: 'm', shareBps: 5000 },
    ]);
    expect(all.map((part) => part.amount)).toEqual([1, 2499, 2499]);
  });

  it('splits zero proceeds into zeros', () => {
    const parts = splitProceeds(0, 'seller-1', [{ party: 'designer', userId: 'd', shareBps: 9000 }]);
    expect(parts.map((part) => part.amount)).toEqual([0, 0]);
  });

  it('always adds up to the proceeds, with every part whole and not negative (2000 random cases)', () => {
    const next = random(20_300_101);
    for (let run = 0; run < 2000; run++) {
      const proceeds = run % 4 === 0 ? 1_000_000_000_000 - next(1000) : next(10 ** (1 + next(12)));
      let left = 10_000;
      const shares = Array.from({ length: next(6) }, (_, index): ProviderShare => {
        const shareBps = next(left + 1);
        left -= shareBps;
        return { party: `provider${index}`, userId: `user-${index}`, shareBps };
      });
      const parts = splitProceeds(proceeds, 'seller-1', shares);
      const context = JSON.stringify({ proceeds, shares });
      expect(sum(parts), context).toBe(proceeds);
      expect(
        parts.every((part) => Number.isSafeInteger(part.amount) && part.amount >= 0),
        context,
      ).toBe(true);
      for (const [index, share] of shares.entries()) {
        // Rounded down: part × 10000 ≤ proceeds × share < (part + 1) × 10000, compared exactly.
        const part = BigInt(parts[index + 1]?.amount ?? Number.NaN);
        const exact = BigInt(proceeds) * BigInt(share.shareBps);
        expect(part * 10_000n <= exact && exact < (part + 1n) * 10_000n, context).toBe(true);
      }
    }
  });
});
