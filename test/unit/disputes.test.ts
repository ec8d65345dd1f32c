import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DisputeEvidence,
  maxEvidencePerParty,
  recordEvidence,
  responseDeadlines,
} from '#shared/domain/dispute-evidence.ts';
import { planSettlement, recordSettlement } from '#shared/domain/dispute-settlement.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { spreadRefund } from '#shared/domain/ledger/refund-spread.ts';
import { type Order, recordAction, recordTimeout } from '#shared/domain/order.ts';
import { disputeQueueStanding, responseDeadlinesOf } from '#shared/domain/order-disputes.ts';
import { defaultPurchase, processRefOf } from '#shared/domain/processes.ts';
import { fixtureAction, orderAt } from '../support/order-fixture.ts';

const now = new Date('2030-01-02T00:00:00.000Z');
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();
const days = (count: number) => count * 24 * 60 * 60;

const order = (overrides: Partial<Order> = {}): Order => orderAt(now, overrides);

const buyer = { party: 'buyer', userId: 'buyer' };
const admin = { party: 'admin', userId: 'ada' };

const actionOf = fixtureAction;

/** The order once the buyer opened a dispute and the workflow waits at the dispute step. */
const disputed = (overrides: Partial<Order> = {}): Order => {
  const opened = recordAction(
    order(),
    { party: 'buyer', userId: 'buyer' },
    actionOf('open-dispute'),
    {
      reason: 'Broken',
    },
    now,
  ).order;
  const { pending: _pending, ...waiting } = opened;
  return {
    ...waiting,
    taskToken: 'token-dispute',
    deadline: later(days(30)),
    ...(opened.dispute
      ? {
          dispute: {
            ...opened.dispute,
            responseDeadlines: { buyer: later(days(5)), seller: later(days(5)) },
          },
        }
      : {}),
    ...overrides,
  };
};

const evidence = (party: string): DisputeEvidence => ({
  id: `e-${party}`,
  orderId: 'order-1',
  party,
  userId: party,
  statement: 'What happened',
  evidenceUrls: [],
  at: now.toISOString(),
});

const codeOf = (call: () => unknown) => {
  try {
    call();
  } catch (error) {
    if (error instanceof DomainError) return `${error.kind} ${error.code}`;
    throw error;
  }
  return 'allowed';
};

describe('spreading a refund over the lines', () => {
  it('gives each line its share of what it still holds, by largest remainder', () => {
    expect(
      spreadRefund(3000, [
        { line: 0, amount: 7000 },
        { line: 1, amount: 3000 },
      ]),
    ).toEqual([
      { line: 0, amount: 2100 },
      { line: 1, amount: 900 },
    ]);
    // 100 over three equal lines: 33.33 each, the first line takes the unit left over.
    expect(
      spreadRefund(100, [
        { line: 0, amount: 1000 },
        { line: 2, amount: 1000 },
        { line: 5, amount: 1000 },
      ]),
    ).toEqual([
      { line: 0, amount: 34 },
      { line: 2, amount: 33 },
      { line: 5, amount: 33 },
    ]);
  });

  it('leaves out lines whose part is nothing, and gives nothing for 0', () => {
    expect(
      spreadRefund(1, [
        { line: 0, amount: 1 },
        { line: 1, amount: 1 },
      ]),
    ).toEqual([{ line: 0, amount: 1 }]);
    expect(spreadRefund(0, [{ line: 0, amount: 500 }])).toEqual([]);
  });

  it('refuses more than the lines hold, a negative or a fractional amount', () => {
    const lines = [{ line: 0, amount: 500 }];
    expect(() => spreadRefund(501, lines)).toThrow(RangeError);
    expect(() => spreadRefund(-1, lines)).toThrow(RangeError);
    expect(() => spreadRefund(0.5, lines)).toThrow(RangeError);
  });

  it('adds up to the amount exactly, never gives a line more than it holds, everything when asked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (held, fraction) => {
          const lines = held.map((amount, line) => ({ line, amount }));
          const left = held.reduce((sum, amount) => sum + amount, 0);
          const amount = Math.floor(left * fraction);
          const spread = spreadRefund(amount, lines);
          expect(spread.reduce((sum, line) => sum + line.amount, 0)).toBe(amount);
          for (const part of spread) expect(part.amount).toBeLessThanOrEqual(held[part.line] ?? 0);
          expect(spreadRefund(left, lines)).toEqual(lines);
        },
      ),
    );
  });
});

describe('opening a dispute', () => {
  it('is recorded when the order enters a dispute step: when, by whom, why', () => {
    const { order: opened } = recordAction(
      order(),
      { party: 'buyer', userId: 'buyer' },
      actionOf('open-dispute'),
      { reason: 'Broken' },
      now,
    );
    expect(opened.dispute).toEqual({
      step: 'dispute',
      openedAt: now.toISOString(),
      openedBy: { party: 'buyer', userId: 'buyer' },
      reason: 'Broken',
      evidence: {},
    });
    expect(opened.pending).toMatchObject({ next: 'await-step', responseSeconds: { buyer: days(5) } });
  });

  it('is not recorded by steps that lead elsewhere, nor by timeouts that complete', () => {
    expect(recordAction(order(), buyer, actionOf('confirm-receipt'), {}, now).order.dispute).toBeUndefined();
    expect(recordTimeout(order(), now).order.dispute).toBeUndefined();
  });

  it('puts the order in the open queue until it leaves the step, then in the closed one', () => {
    expect(disputeQueueStanding(order())).toBeUndefined();
    expect(disputeQueueStanding(disputed())).toEqual({ status: 'open', since: now.toISOString() });
    const released = recordAction(disputed(), admin, actionOf('release-to-seller'), {}, now).order;
    expect(disputeQueueStanding(released)).toEqual({ status: 'closed', since: now.toISOString() });
    const chargedBack = order({ chargeback: { disputeId: 'dp_1', status: 'open', openedAt: later(60) } });
    expect(disputeQueueStanding(chargedBack)).toEqual({ status: 'open', since: later(60) });
    expect(
      disputeQueueStanding({ ...chargedBack, chargeback: { disputeId: 'dp_1', status: 'lost' } }),
    ).toEqual({ status: 'closed', since: now.toISOString() });
  });
});

describe('response deadlines', () => {
  it('are the response times’ share of the wait, on whatever clock the wait runs', () => {
    const step = { responseSeconds: { buyer: days(5), seller: days(10) }, timeoutSeconds: days(30) };
    expect(responseDeadlinesOf(step, now, later(days(30)))).toEqual({
      buyer: later(days(5)),
      seller: later(days(10)),
    });
    // A clock 1000 times faster: the 30 days last 2592 s, the buyer's 5 days 432 s.
    expect(responseDeadlinesOf(step, now, later(2592))).toEqual({ buyer: later(432), seller: later(864) });
    expect(responseDeadlinesOf({ timeoutSeconds: days(30) }, now, later(days(30)))).toBeUndefined();
  });

  it('default to the step’s deadline for parties without one, as in version 1', () => {
    expect(responseDeadlines(disputed())).toEqual({
      buyer: later(days(5)),
      seller: later(days(5)),
      admin: later(days(30)),
    });
    const v1 = disputed({
      process: processRefOf(defaultPurchase),
      dispute: { ...disputed().dispute, responseDeadlines: undefined } as Order['dispute'],
    });
    expect(responseDeadlines(v1)).toEqual({
      buyer: later(days(30)),
      seller: later(days(30)),
      admin: later(days(30)),
    });
  });
});

describe('evidence', () => {
  it('is counted per party while the dispute is open and the party’s time lasts', () => {
    const once = recordEvidence(disputed(), evidence('buyer'), now).order;
    expect(recordEvidence(once, evidence('seller'), now).order.dispute?.evidence).toEqual({
      buyer: 1,
      seller: 1,
    });
  });

  it('is refused outside a dispute step, once the order is leaving it, or after the deadline', () => {
    expect(codeOf(() => recordEvidence(order(), evidence('buyer'), now))).toBe('conflict dispute_not_open');
    const leaving = recordAction(disputed(), admin, actionOf('release-to-seller'), {}, now).order;
    expect(codeOf(() => recordEvidence(leaving, evidence('buyer'), now))).toBe('conflict dispute_not_open');
    const afterFiveDays = new Date(Date.parse(later(days(5))));
    expect(codeOf(() => recordEvidence(disputed(), evidence('buyer'), afterFiveDays))).toBe(
      'conflict response_deadline_passed',
    );
    expect(codeOf(() => recordEvidence(disputed(), evidence('admin'), afterFiveDays))).toBe('allowed');
  });

  it(`takes at most ${maxEvidencePerParty} statements from a party`, () => {
    const full = disputed({
      dispute: {
        ...(disputed().dispute as NonNullable<Order['dispute']>),
        evidence: { buyer: maxEvidencePerParty },
      },
    });
    expect(codeOf(() => recordEvidence(full, evidence('buyer'), now))).toBe(
      'conflict evidence_limit_reached',
    );
    expect(codeOf(() => recordEvidence(full, evidence('seller'), now))).toBe('allowed');
  });
});

describe('planning a settlement', () => {
  const linesLeft = [
    { line: 0, amount: 7000 },
    { line: 1, amount: 3000 },
  ];
  const asked = (amount: number, currency = 'EUR') => ({ refund: { amount, currency }, note: 'Decided' });

  it('refunds part over the lines, then releases the rest', () => {
    expect(planSettlement(disputed(), asked(3000), linesLeft)).toEqual({
      action: actionOf('release-to-seller'),
      refundLines: [
        { line: 0, amount: 2100 },
        { line: 1, amount: 900 },
      ],
    });
  });

  it('releases everything for 0, and takes the refund action for everything left', () => {
    expect(planSettlement(disputed(), asked(0), linesLeft)).toEqual({
      action: actionOf('release-to-seller'),
      refundLines: [],
    });
    expect(planSettlement(disputed(), asked(10_000), linesLeft)).toEqual({
      action: actionOf('refund-buyer'),
      refundLines: [],
    });
  });

  it('refuses more than is left, another currency, a settled dispute, an order not in dispute', () => {
    expect(codeOf(() => planSettlement(disputed(), asked(10_001), linesLeft))).toBe(
      'unprocessable refund_exceeds_left',
    );
    expect(codeOf(() => planSettlement(disputed(), asked(10, 'USD'), linesLeft))).toBe(
      'unprocessable currency_mismatch',
    );
    expect(codeOf(() => planSettlement(order(), asked(0), linesLeft))).toBe('conflict dispute_not_open');
    const settlement = {
      settlementId: 'ds_1',
      refund: { amount: 0, currency: 'EUR' },
      action: 'release-to-seller',
      note: 'n',
      by: 'ada',
      at: now.toISOString(),
      fingerprint: 'f',
    };
    const settled = recordSettlement(disputed(), settlement).order;
    expect(codeOf(() => planSettlement(settled, asked(0), linesLeft))).toBe('conflict dispute_settled');
    expect(codeOf(() => recordSettlement(settled, { ...settlement, settlementId: 'ds_2' }))).toBe(
      'conflict dispute_settled',
    );
  });
});
