import { describe, expect, it } from 'vitest';
import {
  type BuyerStanding,
  type Sale,
  type SalesChange,
  saleCaptured,
  saleReturned,
  salesVolumeWindow,
} from '#shared/domain/sales-volume.ts';

describe('the trailing sales window', () => {
  it('spans the 30 UTC days ending with the day of the checkout', () => {
    expect(salesVolumeWindow(new Date('2030-03-04T23:59:59.999Z'))).toEqual({
      from: '2030-02-03',
      to: '2030-03-04',
    });
    expect(salesVolumeWindow(new Date('2030-03-05T00:00:00.000Z'))).toEqual({
      from: '2030-02-04',
      to: '2030-03-05',
    });
    expect(salesVolumeWindow(new Date('2032-03-01T12:00:00.000Z'))).toEqual({
      from: '2032-02-01', // 2032 is a leap year: February has 29 days
      to: '2032-03-01',
    });
  });
});

const sale = (amount: number, day: string): Sale => ({
  sellerId: 'seller',
  buyerId: 'buyer',
  currency: 'EUR',
  amount,
  day,
});

/** Applies sales in turn from no standing, as the store does, and adds up what they did to each day. */
function replay(steps: readonly ((standing: BuyerStanding | undefined) => SalesChange)[]) {
  let standing: BuyerStanding | undefined;
  const days = new Map<string, { amount: number; buyers: number }>();
  for (const step of steps) {
    const change = step(standing);
    for (const { day, amount, buyers } of change.days) {
      const before = days.get(day) ?? { amount: 0, buyers: 0 };
      days.set(day, { amount: before.amount + amount, buyers: before.buyers + buyers });
    }
    standing = change.standing ?? standing;
  }
  return { standing, days: Object.fromEntries(days) };
}

const captured = (amount: number, day: string) => (standing: BuyerStanding | undefined) =>
  saleCaptured(standing, sale(amount, day));
const returned = (amount: number, day: string) => (standing: BuyerStanding | undefined) =>
  saleReturned(standing, sale(amount, day));

describe('a buyer among the seller’s distinct buyers', () => {
  it('counts once however often they buy, on the day of their latest purchase', () => {
    expect(saleCaptured(undefined, sale(500, '2030-03-01'))).toEqual({
      days: [{ day: '2030-03-01', amount: 500, buyers: 1 }],
      standing: { day: '2030-03-01', net: 500 },
    });
    // Again the same day: the amount adds up, the count stays.
    expect(saleCaptured({ day: '2030-03-01', net: 500 }, sale(200, '2030-03-01'))).toEqual({
      days: [{ day: '2030-03-01', amount: 200, buyers: 0 }],
      standing: { day: '2030-03-01', net: 700 },
    });
    // A later day: the count moves there, so it lasts the window after this purchase.
    expect(saleCaptured({ day: '2030-03-01', net: 700 }, sale(100, '2030-03-20'))).toEqual({
      days: [
        { day: '2030-03-20', amount: 100, buyers: 1 },
        { day: '2030-03-01', amount: 0, buyers: -1 },
      ],
      standing: { day: '2030-03-20', net: 800 },
    });
  });

  it('starts afresh once the window has passed their latest purchase', () => {
    // 2030-03-31's window starts on 2030-03-02: the count left with 2030-03-01.
    expect(saleCaptured({ day: '2030-03-01', net: 700 }, sale(100, '2030-03-31'))).toEqual({
      days: [{ day: '2030-03-31', amount: 100, buyers: 1 }],
      standing: { day: '2030-03-31', net: 100 },
    });
    expect(saleCaptured({ day: '2030-03-02', net: 700 }, sale(100, '2030-03-31')).standing).toEqual({
      day: '2030-03-31',
      net: 800,
    });
  });

  it('stops counting once given back everything, and counts again on buying again', () => {
    const farmed = replay([captured(60_000, '2030-03-01'), returned(60_000, '2030-03-02')]);
    expect(farmed).toEqual({
      standing: { day: '2030-03-01', net: 0 },
      days: {
        '2030-03-01': { amount: 60_000, buyers: 0 },
        '2030-03-02': { amount: -60_000, buyers: 0 },
      },
    });
    const again = replay([
      captured(60_000, '2030-03-01'),
      returned(60_000, '2030-03-02'),
      captured(10, '2030-03-05'),
    ]);
    expect(again.days['2030-03-05']).toEqual({ amount: 10, buyers: 1 });
    expect(again.standing).toEqual({ day: '2030-03-05', net: 10 });
  });

  it('keeps counting a buyer who got back part of what they bought', () => {
    const kept = replay([
      captured(500, '2030-03-01'),
      captured(300, '2030-03-03'),
      returned(500, '2030-03-04'),
    ]);
    expect(kept.standing).toEqual({ day: '2030-03-03', net: 300 });
    expect(kept.days).toEqual({
      '2030-03-01': { amount: 500, buyers: 0 },
      '2030-03-03': { amount: 300, buyers: 1 },
      '2030-03-04': { amount: -500, buyers: 0 },
    });
  });

  it('takes a refund off the day it is made, the buyer’s standing untouched when it no longer counts', () => {
    // Their latest purchase left the window: the refund lowers the volume only.
    expect(saleReturned({ day: '2030-01-01', net: 900 }, sale(400, '2030-03-04'))).toEqual({
      days: [{ day: '2030-03-04', amount: -400, buyers: 0 }],
    });
    expect(saleReturned(undefined, sale(400, '2030-03-04'))).toEqual({
      days: [{ day: '2030-03-04', amount: -400, buyers: 0 }],
    });
    // Refunded on the day of the purchase: one change of that day.
    expect(saleReturned({ day: '2030-03-04', net: 400 }, sale(400, '2030-03-04'))).toEqual({
      days: [{ day: '2030-03-04', amount: -400, buyers: -1 }],
      standing: { day: '2030-03-04', net: 0 },
    });
    // More than the standing holds (bought before it began): it ends at 0, and counts once off.
    expect(saleReturned({ day: '2030-03-03', net: 100 }, sale(400, '2030-03-04'))).toEqual({
      days: [
        { day: '2030-03-04', amount: -400, buyers: 0 },
        { day: '2030-03-03', amount: 0, buyers: -1 },
      ],
      standing: { day: '2030-03-03', net: 0 },
    });
  });
});
