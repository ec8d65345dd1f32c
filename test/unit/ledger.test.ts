import { describe, expect, it } from 'vitest';
import { DomainError } from '#shared/domain/errors.ts';
import { normalBalance, parseAccount, userAccount, userIdOf } from '#shared/domain/ledger/accounts.ts';
import { allocate } from '#shared/domain/ledger/allocation.ts';
import { balanceOf, balancesOf, postTransaction } from '#shared/domain/ledger/balances.ts';
import { type OrderLedger, type OrderMoney, orderLedger } from '#shared/domain/ledger/order-ledger.ts';
import {
  captureOrder,
  loseDispute,
  openDispute,
  type RefundRequest,
  refundOrder,
  releaseOrder,
  winDispute,
} from '#shared/domain/ledger/order-postings.ts';
import { type LedgerTransaction, ledgerTransaction } from '#shared/domain/ledger/transaction.ts';
import { reverseTransfer, transferLedger, transferToUser } from '#shared/domain/ledger/transfer-postings.ts';

/** 100.00 EUR in two lines, 10% commission; the seller gets 80% of the proceeds, the maker 20%. */
const order: OrderMoney = {
  id: 'order-1',
  currency: 'EUR',
  total: 10_000,
  commission: 1_000,
  lines: [
    { amount: 6_000, commission: 600 },
    { amount: 4_000, commission: 400 },
  ],
  payees: [
    { userId: 'seller', amount: 7_200 },
    { userId: 'maker', amount: 1_800 },
  ],
};

type Step = (ledger: OrderLedger) => LedgerTransaction;

/** The order's ledger after posting what each step decides, in turn. */
const ledgerAfter = (money: OrderMoney, ...steps: readonly Step[]): OrderLedger =>
  steps.reduce(
    (ledger, step) => orderLedger(money, [...ledger.posted.values(), step(ledger)]),
    orderLedger(money, []),
  );

const capture: Step = () => captureOrder(order);
const release: Step = (ledger) => releaseOrder(order, ledger);
const refund =
  (request: Omit<RefundRequest, 'refundId'>, refundId = 'refund-1'): Step =>
  (ledger) =>
    refundOrder(order, ledger, { refundId, ...request });
const open: Step = (ledger) => openDispute(order, ledger, 'dispute-1');

/** Calls `decide` and returns the DomainError it throws. */
function refusal(decide: () => unknown): DomainError {
  try {
    decide();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('accounts', () => {
  it('names the owner and the type, and reads credit-normal balances with their sign turned', () => {
    expect(parseAccount('platform:cash')).toEqual({ owner: 'platform', type: 'cash' });
    expect(parseAccount(userAccount('user-1', 'paid-out'))).toEqual({
      owner: 'user:user-1',
      type: 'paid-out',
    });
    expect(userIdOf('user:user-1:available')).toBe('user-1');
    expect(normalBalance('platform:cash', 500)).toBe(500);
    expect(normalBalance('platform:fees', -500)).toBe(500);
    expect(normalBalance('user:user-1:pending', -500)).toBe(500);
    expect(normalBalance('user:user-1:pending', 0)).toBe(0);
  });
});

describe('allocate (largest remainder)', () => {
  it.each([
    // amount, weights, parts: rounded down, then one unit each to the largest remainders
    [10, [1, 1, 1], [4, 3, 3]], // 3.33 each: the earliest gets the left-over unit
    [1, [5, 5], [1, 0]], // equal remainders: the earlier part
    [1, [600, 5_400], [0, 1]], // 0.1 and 0.9
    [10, [105, 895], [1, 9]], // 1.05 and 8.95
    [100, [1, 1, 98], [1, 1, 98]],
    [2, [1, 1, 1], [1, 1, 0]],
    [7, [0, 3, 4], [0, 3, 4]], // the whole: exactly the weights
    [0, [0, 0], [0, 0]],
  ])('splits %i by %j into %j', (amount, weights, parts) => {
    expect(allocate(amount, weights)).toEqual(parts);
  });

  it('stays exact where amount × weight passes 2^53', () => {
    // 999 999 999 999 × 999 999 999 999 / 10^12 = 999 999 999 998.000…001: remainder 1, the other 999…999
    expect(allocate(999_999_999_999, [999_999_999_999, 1])).toEqual([999_999_999_998, 1]);
    expect(allocate(1_000_000_000_000, [999_999_999_999, 1])).toEqual([999_999_999_999, 1]);
  });

  it('cannot split something between nothing', () => {
    expect(() => allocate(1, [0, 0])).toThrow();
  });
});

describe('ledgerTransaction', () => {
  const fields = { id: 'capture:o', kind: 'capture', scope: 'order:o', currency: 'EUR' } as const;

  it('merges entries of one account and drops zeros', () => {
    const transaction = ledgerTransaction(fields, [
      { account: 'platform:cash', amount: 100 },
      { account: 'user:u:pending', amount: -60 },
      { account: 'user:u:pending', amount: -40 },
      { account: 'platform:fees', amount: 0 },
    ]);
    expect(transaction.entries).toEqual([
      { account: 'platform:cash', amount: 100 },
      { account: 'user:u:pending', amount: -100 },
    ]);
  });

  it('refuses entries that do not balance or are not whole minor units', () => {
    expect(() => ledgerTransaction(fields, [{ account: 'platform:cash', amount: 1 }])).toThrow(
      /does not balance/,
    );
    expect(() =>
      ledgerTransaction(fields, [
        { account: 'platform:cash', amount: 0.5 },
        { account: 'platform:fees', amount: -0.5 },
      ]),
    ).toThrow(/gets 0.5/);
  });
});

describe('captureOrder', () => {
  it('brings the total into cash, the commission into fees and each share into its payee’s pending', () => {
    expect(captureOrder(order)).toEqual({
      id: 'capture:order-1',
      kind: 'capture',
      scope: 'order:order-1',
      currency: 'EUR',
      entries: [
        { account: 'platform:cash', amount: 10_000 },
        { account: 'platform:fees', amount: -1_000 },
        { account: 'user:seller:pending', amount: -7_200 },
        { account: 'user:maker:pending', amount: -1_800 },
      ],
    });
  });

  it('adds up the shares of a payee named twice', () => {
    const twice = {
      ...order,
      payees: [
        { userId: 'seller', amount: 7_200 },
        { userId: 'seller', amount: 1_800 },
      ],
    };
    expect(captureOrder(twice).entries).toEqual([
      { account: 'platform:cash', amount: 10_000 },
      { account: 'platform:fees', amount: -1_000 },
      { account: 'user:seller:pending', amount: -9_000 },
    ]);
  });

  it('refuses an order whose lines, commission and payees do not add up', () => {
    expect(() => captureOrder({ ...order, commission: 999 })).toThrow(/do not add up/);
    expect(() => captureOrder({ ...order, payees: [{ userId: 'seller', amount: 9_001 }] })).toThrow(
      /do not add up/,
    );
  });
});

describe('releaseOrder', () => {
  it('moves each payee’s pending part to available', () => {
    expect(releaseOrder(order, ledgerAfter(order, capture)).entries).toEqual([
      { account: 'user:seller:pending', amount: 7_200 },
      { account: 'user:seller:available', amount: -7_200 },
      { account: 'user:maker:pending', amount: 1_800 },
      { account: 'user:maker:available', amount: -1_800 },
    ]);
  });

  it('moves what refunds left', () => {
    const refunded = ledgerAfter(order, capture, refund({ lines: [{ line: 1, amount: 4_000 }] }));
    expect(releaseOrder(order, refunded).entries).toEqual([
      { account: 'user:seller:pending', amount: 4_320 },
      { account: 'user:seller:available', amount: -4_320 },
      { account: 'user:maker:pending', amount: 1_080 },
      { account: 'user:maker:available', amount: -1_080 },
    ]);
  });

  it('refuses an order not captured', () => {
    expect(refusal(() => releaseOrder(order, orderLedger(order, []))).code).toBe('order_not_captured');
  });

  it('returns the posted transaction when asked again', () => {
    const released = ledgerAfter(order, capture, release);
    expect(releaseOrder(order, released)).toBe(released.posted.get('release:order-1'));
  });
});

describe('refundOrder', () => {
  const captured = ledgerAfter(order, capture);

  it('gives a whole line back: its commission from the platform, its proceeds from the payees by what they hold', () => {
    const transaction = refundOrder(order, captured, { refundId: 'r1', lines: [{ line: 0, amount: 6_000 }] });
    expect(transaction).toEqual({
      id: 'refund:order-1:r1',
      kind: 'refund',
      scope: 'order:order-1',
      currency: 'EUR',
      returnedLines: [{ line: 0, amount: 6_000, commission: 600 }],
      entries: [
        { account: 'platform:cash', amount: -6_000 },
        { account: 'platform:refunds', amount: 600 },
        { account: 'user:seller:pending', amount: 4_320 },
        { account: 'user:maker:pending', amount: 1_080 },
      ],
    });
  });

  it('splits by largest remainder: 1 cent of a 10% line is proceeds, and it goes to the larger holder', () => {
    // 0.1 commission and 0.9 proceeds: the proceeds' larger remainder takes the cent; 0.8 seller, 0.2 maker
    expect(refundOrder(order, captured, { refundId: 'r1', lines: [{ line: 0, amount: 1 }] }).entries).toEqual(
      [
        { account: 'platform:cash', amount: -1 },
        { account: 'user:seller:pending', amount: 1 },
      ],
    );
    // 10.5 commission and 94.5 proceeds of 105: equal remainders, the commission (the earlier part) rounds up
    expect(
      refundOrder(order, captured, { refundId: 'r1', lines: [{ line: 0, amount: 105 }] }).returnedLines,
    ).toEqual([{ line: 0, amount: 105, commission: 11 }]);
  });

  it('gives back exactly the commission and proceeds of the order, whatever the pieces', () => {
    const pieces = [1, 105, 333, 2_000, 3_561];
    const lineZero = pieces.map((amount, index) => refund({ lines: [{ line: 0, amount }] }, `r${index}`));
    const everything = ledgerAfter(
      order,
      capture,
      ...lineZero,
      refund({ lines: [{ line: 1, amount: 3_999 }] }, 'r-last-but-one'),
      refund({ lines: [{ line: 1, amount: 1 }] }, 'r-last'),
    );
    const balances = balancesOf([...everything.posted.values()]);
    expect(normalBalance('platform:refunds', balanceOf(balances, 'platform:refunds', 'EUR'))).toBe(1_000);
    expect(balanceOf(balances, 'platform:cash', 'EUR')).toBe(0);
    expect(balanceOf(balances, 'user:seller:pending', 'EUR')).toBe(0);
    expect(balanceOf(balances, 'user:maker:pending', 'EUR')).toBe(0);
    expect(everything.lines).toEqual([
      { commission: 0, proceeds: 0 },
      { commission: 0, proceeds: 0 },
    ]);
  });

  it('takes the payees’ part from available once the order was released', () => {
    const released = ledgerAfter(order, capture, release);
    expect(
      refundOrder(order, released, { refundId: 'r1', lines: [{ line: 1, amount: 1_000 }] }).entries,
    ).toEqual([
      { account: 'platform:cash', amount: -1_000 },
      { account: 'platform:refunds', amount: 100 },
      { account: 'user:seller:available', amount: 720 },
      { account: 'user:maker:available', amount: 180 },
    ]);
  });

  it('without the fee, the payees bear the whole refund, up to what they hold of the line', () => {
    const noFee = { refundId: 'r1', refundFee: false } as const;
    expect(refundOrder(order, captured, { ...noFee, lines: [{ line: 1, amount: 1_000 }] }).entries).toEqual([
      { account: 'platform:cash', amount: -1_000 },
      { account: 'user:seller:pending', amount: 800 },
      { account: 'user:maker:pending', amount: 200 },
    ]);
    const refused = refusal(() =>
      refundOrder(order, captured, { ...noFee, lines: [{ line: 1, amount: 3_601 }] }),
    );
    expect(refused.code).toBe('refund_exceeds_captured');
    expect(refused.details).toEqual([
      {
        path: ['lines', 0],
        message: '3601 asked, but only 3600 of what is left is the payees’ (the rest is the platform’s fee)',
      },
    ]);
  });

  it('never gives back more of a line than was captured and not yet refunded', () => {
    const tooMuch = refusal(() =>
      refundOrder(order, captured, { refundId: 'r1', lines: [{ line: 0, amount: 6_001 }] }),
    );
    expect(tooMuch).toMatchObject({ kind: 'conflict', code: 'refund_exceeds_captured' });
    expect(tooMuch.details).toEqual([
      { path: ['lines', 0], message: '6001 asked, but only 6000 is left to refund' },
    ]);

    const partly = ledgerAfter(order, capture, refund({ lines: [{ line: 0, amount: 5_000 }] }));
    const again = {
      refundId: 'r2',
      lines: [
        { line: 1, amount: 4_000 },
        { line: 0, amount: 1_001 },
      ],
    };
    expect(refusal(() => refundOrder(order, partly, again)).details).toEqual([
      { path: ['lines', 1], message: '1001 asked, but only 1000 is left to refund' },
    ]);
    expect(
      refundOrder(order, partly, { ...again, lines: [{ line: 0, amount: 1_000 }] }).entries,
    ).toContainEqual({
      account: 'platform:cash',
      amount: -1_000,
    });
  });

  it('refuses unknown or repeated lines and amounts that are not positive whole minor units', () => {
    const refused = refusal(() =>
      refundOrder(order, captured, {
        refundId: 'r1',
        lines: [
          { line: 2, amount: 1 },
          { line: 0, amount: 0 },
          { line: 1, amount: 1.5 },
          { line: 0, amount: 1 },
        ],
      }),
    );
    expect(refused).toMatchObject({ kind: 'unprocessable', code: 'refund_invalid' });
    expect(refused.details).toEqual([
      { path: ['lines', 0], message: 'order order-1 has no line 2' },
      { path: ['lines', 1], message: 'the amount must be a positive whole number of minor units' },
      { path: ['lines', 2], message: 'the amount must be a positive whole number of minor units' },
      { path: ['lines', 3], message: 'line 0 is named twice' },
    ]);
  });

  it('refuses an order not captured, or under dispute', () => {
    const request = { refundId: 'r1', lines: [{ line: 0, amount: 1 }] };
    expect(refusal(() => refundOrder(order, orderLedger(order, []), request)).code).toBe(
      'order_not_captured',
    );
    expect(refusal(() => refundOrder(order, ledgerAfter(order, capture, open), request)).code).toBe(
      'order_disputed',
    );
  });

  it('returns the posted refund when asked again, though nothing is left to refund now', () => {
    const whole = refund({ lines: [{ line: 0, amount: 6_000 }] });
    const refunded = ledgerAfter(order, capture, whole);
    expect(whole(refunded)).toBe(refunded.posted.get('refund:order-1:refund-1'));
  });
});

describe('disputes', () => {
  it('opening one withdraws what is left of the order from cash and freezes the payees’ parts', () => {
    const refunded = ledgerAfter(order, capture, refund({ lines: [{ line: 1, amount: 4_000 }] }));
    expect(openDispute(order, refunded, 'dp-1')).toEqual({
      id: 'dispute-opened:order-1:dp-1',
      kind: 'dispute-opened',
      scope: 'order:order-1',
      currency: 'EUR',
      disputeId: 'dp-1',
      entries: [
        { account: 'platform:cash', amount: -6_000 },
        { account: 'platform:disputes', amount: 6_000 },
        { account: 'user:seller:pending', amount: 4_320 },
        { account: 'user:seller:frozen', amount: -4_320 },
        { account: 'user:maker:pending', amount: 1_080 },
        { account: 'user:maker:frozen', amount: -1_080 },
      ],
    });
  });

  it('freezes from available once the order was released', () => {
    const entries = openDispute(order, ledgerAfter(order, capture, release), 'dp-1').entries;
    expect(entries).toContainEqual({ account: 'user:seller:available', amount: 7_200 });
    expect(entries).toContainEqual({ account: 'user:seller:frozen', amount: -7_200 });
  });

  it('won: the money comes back to cash and the frozen parts to pending', () => {
    expect(winDispute(order, ledgerAfter(order, capture, open), 'dispute-1').entries).toEqual([
      { account: 'platform:disputes', amount: -10_000 },
      { account: 'platform:cash', amount: 10_000 },
      { account: 'user:seller:frozen', amount: 7_200 },
      { account: 'user:seller:pending', amount: -7_200 },
      { account: 'user:maker:frozen', amount: 1_800 },
      { account: 'user:maker:pending', amount: -1_800 },
    ]);
  });

  it('won after the order was released while disputed: the frozen parts become available', () => {
    const disputedRelease = ledgerAfter(order, capture, open, release);
    expect(disputedRelease.posted.get('release:order-1')?.entries).toEqual([]);
    expect(winDispute(order, disputedRelease, 'dispute-1').entries).toContainEqual({
      account: 'user:seller:available',
      amount: -7_200,
    });
  });

  it('lost: the buyer keeps what was left, taken from the frozen parts and the platform’s commission', () => {
    const refunded = ledgerAfter(order, capture, refund({ lines: [{ line: 1, amount: 1_000 }] }), open);
    expect(loseDispute(order, refunded, 'dispute-1')).toEqual({
      id: 'dispute-lost:order-1:dispute-1',
      kind: 'dispute-lost',
      scope: 'order:order-1',
      currency: 'EUR',
      disputeId: 'dispute-1',
      returnedLines: [
        { line: 0, amount: 6_000, commission: 600 },
        { line: 1, amount: 3_000, commission: 300 },
      ],
      entries: [
        { account: 'platform:disputes', amount: -9_000 },
        { account: 'platform:refunds', amount: 900 },
        { account: 'user:seller:frozen', amount: 6_480 },
        { account: 'user:maker:frozen', amount: 1_620 },
      ],
    });
    const lost = ledgerAfter(order, capture, open, (ledger) => loseDispute(order, ledger, 'dispute-1'));
    const request = { refundId: 'r9', lines: [{ line: 0, amount: 1 }] };
    expect(refusal(() => refundOrder(order, lost, request)).code).toBe('refund_exceeds_captured');
  });

  it('refuses a second dispute while one is open, and closing one that is not open', () => {
    const disputed = ledgerAfter(order, capture, open);
    expect(refusal(() => openDispute(order, disputed, 'dispute-2')).code).toBe('dispute_already_open');
    expect(refusal(() => winDispute(order, disputed, 'dispute-2')).code).toBe('dispute_not_open');
    expect(refusal(() => loseDispute(order, ledgerAfter(order, capture), 'dispute-1')).code).toBe(
      'dispute_not_open',
    );
    expect(refusal(() => openDispute(order, orderLedger(order, []), 'dispute-1')).code).toBe(
      'order_not_captured',
    );
  });
});

describe('transfers', () => {
  const request = { transferId: 'tr-1', userId: 'seller', currency: 'EUR', amount: 5_000 };
  const transfer = transferToUser(request, 7_200, transferLedger('tr-1', []));

  it('moves available to paid out and takes the money out of cash', () => {
    expect(transfer).toEqual({
      id: 'transfer:tr-1',
      kind: 'transfer',
      scope: 'transfer:tr-1',
      currency: 'EUR',
      entries: [
        { account: 'user:seller:available', amount: 5_000, mustBeCovered: true },
        { account: 'user:seller:paid-out', amount: -5_000 },
        { account: 'platform:cash', amount: -5_000 },
        { account: 'platform:transfers', amount: 5_000 },
      ],
    });
  });

  it('pays no more than is available, and only positive whole amounts', () => {
    const refused = refusal(() => transferToUser(request, 4_999, transferLedger('tr-1', [])));
    expect(refused).toMatchObject({ kind: 'conflict', code: 'insufficient_balance' });
    expect(refused.message).toBe(
      'user:seller:available holds 4999 EUR, less than the 5000 EUR this takes out of it.',
    );
    expect(refusal(() => transferToUser({ ...request, amount: 0 }, 1, transferLedger('tr-1', []))).code).toBe(
      'transfer_amount_invalid',
    );
    expect(transferToUser(request, 0, transferLedger('tr-1', [transfer]))).toBe(transfer);
  });

  it('a reversal moves paid out back to available and the money into cash, never more than is left', () => {
    const first = reverseTransfer('tr-1', transferLedger('tr-1', [transfer]), {
      reversalId: 'rev-1',
      amount: 3_000,
    });
    expect(first).toEqual({
      id: 'transfer-reversal:tr-1:rev-1',
      kind: 'transfer-reversal',
      scope: 'transfer:tr-1',
      currency: 'EUR',
      entries: [
        { account: 'user:seller:paid-out', amount: 3_000 },
        { account: 'user:seller:available', amount: -3_000 },
        { account: 'platform:cash', amount: 3_000 },
        { account: 'platform:transfers', amount: -3_000 },
      ],
    });
    const afterFirst = transferLedger('tr-1', [transfer, first]);
    expect(afterFirst.reversed).toBe(3_000);
    const refused = refusal(() =>
      reverseTransfer('tr-1', afterFirst, { reversalId: 'rev-2', amount: 2_001 }),
    );
    expect(refused).toMatchObject({ code: 'reversal_exceeds_transfer' });
    expect(reverseTransfer('tr-1', afterFirst, { reversalId: 'rev-2', amount: 2_000 }).entries).toHaveLength(
      4,
    );
    expect(
      refusal(() => reverseTransfer('tr-9', transferLedger('tr-9', []), { reversalId: 'r', amount: 1 })).code,
    ).toBe('transfer_not_found');
  });
});

describe('balances', () => {
  it('are the sum of entries, read by their owners on their side', () => {
    const lifecycle = ledgerAfter(order, capture, release);
    const transfer = transferToUser(
      { transferId: 'tr-1', userId: 'seller', currency: 'EUR', amount: 7_000 },
      7_200,
      transferLedger('tr-1', []),
    );
    const balances = balancesOf([...lifecycle.posted.values(), transfer]);
    const read = (account: Parameters<typeof normalBalance>[0]) =>
      normalBalance(account, balanceOf(balances, account, 'EUR'));
    expect(read('platform:cash')).toBe(3_000);
    expect(read('platform:fees')).toBe(1_000);
    expect(read('platform:transfers')).toBe(7_000);
    expect(read('user:seller:available')).toBe(200);
    expect(read('user:seller:paid-out')).toBe(7_000);
    expect(read('user:maker:available')).toBe(1_800);
    expect(read('user:seller:pending')).toBe(0);
    expect(balanceOf(balances, 'platform:cash', 'USD')).toBe(0);
  });

  it('refuse an entry that must be covered when its account holds less than it takes', () => {
    const released = balancesOf([...ledgerAfter(order, capture, release).posted.values()]);
    const transferOf = (amount: number) =>
      transferToUser(
        { transferId: 'tr-1', userId: 'seller', currency: 'EUR', amount },
        amount,
        transferLedger('tr-1', []),
      );
    expect(refusal(() => postTransaction(released, transferOf(7_201))).code).toBe('insufficient_balance');
    const emptied = postTransaction(released, transferOf(7_200));
    expect(balanceOf(emptied, 'user:seller:available', 'EUR')).toBe(0);
  });
});
