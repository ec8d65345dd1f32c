import { describe, expect, it } from 'vitest';
import { recordSettlement } from '#shared/domain/dispute-settlement.ts';
import type { Listing } from '#shared/domain/listing.ts';
import { type Order, recordAction, recordTimeout } from '#shared/domain/order.ts';
import type { Review } from '#shared/domain/review.ts';
import { eventsOfOrderChange, eventsOfOrderHistory } from '#shared/events/order-events.ts';
import {
  eventsOfListingChange,
  eventsOfPayoutLineChange,
  eventsOfPayoutRunChange,
  eventsOfQualityNotice,
  eventsOfReviewChange,
  eventsOfSuspension,
} from '#shared/events/other-events.ts';
import type { PayoutLine } from '#shared/store/payout-runs/run-and-line-types.ts';
import { lampContent } from '../support/fixtures.ts';
import { fixtureAction, orderAt } from '../support/order-fixture.ts';

const now = new Date('2030-01-02T00:00:00.000Z');
const at = now.toISOString();
const custom = (overrides: Partial<Order> = {}) =>
  orderAt(now, {
    parties: { buyer: 'bea', seller: 'sam', designer: 'dan' },
    buyerId: 'bea',
    sellerId: 'sam',
    ...overrides,
  });

const typesOf = (events: readonly { type: string }[]) => events.map((event) => event.type);

describe("events of an order's history", () => {
  it('names the acting user and their party, and goes to every party but the buyer', () => {
    const [placed] = eventsOfOrderHistory(
      { seq: 1, at, by: { party: 'buyer', userId: 'bea' }, type: 'placed' },
      custom(),
    );
    expect(placed).toMatchObject({
      type: 'order.placed',
      actor: { kind: 'user', id: 'bea', party: 'buyer' },
      subject: { kind: 'order', id: 'order-1' },
      data: { buyerId: 'bea', sellerId: 'sam', currency: 'EUR', total: 10_000, process: 'default-purchase' },
    });
    expect(placed?.audience).toEqual(['sam', 'dan']);
  });

  it('tells admins, people and the system apart', () => {
    const refunded = eventsOfOrderHistory(
      {
        seq: 7,
        at,
        by: { party: 'admin', userId: 'ada' },
        type: 'refunded',
        data: { refundId: 'r1', amount: '2500' },
      },
      custom(),
    );
    expect(refunded).toMatchObject([
      {
        type: 'refund.succeeded',
        actor: { kind: 'admin', id: 'ada' },
        data: { refundId: 'r1', amount: 2500, currency: 'EUR' },
      },
    ]);
    const captured = eventsOfOrderHistory(
      { seq: 4, at, by: { party: 'workflow' }, type: 'payment-captured' },
      custom(),
    );
    expect(captured).toMatchObject([
      { actor: { kind: 'system', name: 'workflow' }, data: { amount: 10_000 } },
    ]);
  });

  it('maps chargebacks to disputes, and leaves actions and timeouts to the changes they cause', () => {
    const history = (type: 'chargeback-open' | 'chargeback-lost' | 'action' | 'timed-out') =>
      eventsOfOrderHistory(
        { seq: 9, at, by: { party: 'payments' }, type, data: { disputeId: 'dp_1' } },
        custom(),
      );
    expect(history('chargeback-open')).toMatchObject([
      { type: 'dispute.opened', data: { kind: 'chargeback', disputeId: 'dp_1' } },
    ]);
    expect(history('chargeback-lost')).toMatchObject([
      { type: 'dispute.closed', data: { kind: 'chargeback', outcome: 'lost' } },
    ]);
    expect(history('action')).toEqual([]);
    expect(history('timed-out')).toEqual([]);
  });
});

describe('events of a change of the order item', () => {
  const actionOf = fixtureAction;
  /** The order's wait at its current step begins, with a new token and deadline. */
  const waiting = (order: Order, deadline: string): Order => {
    const { pending: _pending, ...rest } = order;
    return { ...rest, taskToken: `token-${deadline}`, deadline };
  };

  it('says the step the order waits at once its wait, and deadline, begin; not when a wait is renewed', () => {
    const decided = recordAction(
      custom({ stepIndex: 1 }),
      { party: 'seller', userId: 'sam' },
      actionOf('ship'),
      {},
      now,
    ).order;
    expect(eventsOfOrderChange(custom({ stepIndex: 1 }), decided)).toEqual([]);
    const receiving = waiting(decided, '2030-01-20T00:00:00.000Z');
    expect(eventsOfOrderChange(decided, receiving)).toMatchObject([
      {
        type: 'order.step_changed',
        actor: { kind: 'system', name: 'workflow' },
        data: { step: 'receive', stepIndex: 2, party: 'buyer', deadline: '2030-01-20T00:00:00.000Z' },
      },
    ]);
    expect(eventsOfOrderChange(receiving, { ...receiving, taskToken: 'token-retried' })).toEqual([]);
  });

  it('opens a marketplace dispute with who opened it, and closes it with the settlement or the timeout', () => {
    const opened = recordAction(
      custom(),
      { party: 'buyer', userId: 'bea' },
      actionOf('open-dispute'),
      { reason: 'Broken' },
      now,
    ).order;
    expect(eventsOfOrderChange(custom(), opened)).toMatchObject([
      {
        type: 'dispute.opened',
        actor: { kind: 'user', id: 'bea', party: 'buyer' },
        data: { kind: 'marketplace', reason: 'Broken' },
      },
    ]);
    const inDispute = waiting(opened, '2030-02-01T00:00:00.000Z');
    expect(typesOf(eventsOfOrderChange(opened, inDispute))).toEqual(['order.step_changed']);

    const settlement = {
      settlementId: 'ds_1',
      refund: { amount: 2500, currency: 'EUR' },
      action: 'release-to-seller',
      note: 'n',
      by: 'ada',
      at,
      fingerprint: 'f',
    };
    const settled = recordSettlement(inDispute, settlement).order;
    expect(eventsOfOrderChange(inDispute, settled)).toEqual([]);
    const released = recordAction(
      settled,
      { party: 'admin', userId: 'ada' },
      actionOf('release-to-seller'),
      {},
      now,
    ).order;
    expect(eventsOfOrderChange(settled, released)).toMatchObject([
      {
        type: 'dispute.closed',
        actor: { kind: 'admin', id: 'ada' },
        data: {
          kind: 'marketplace',
          outcome: 'release-to-seller',
          refund: { amount: 2500, currency: 'EUR' },
        },
      },
    ]);
    expect(eventsOfOrderChange(inDispute, recordTimeout(inDispute, now).order)).toMatchObject([
      { type: 'dispute.closed', actor: { kind: 'system' }, data: { outcome: 'timed-out' } },
    ]);
  });
});

describe('events of other entities', () => {
  const listing = (overrides: Partial<Listing>): Listing =>
    ({
      ...lampContent,
      id: 'l-1',
      sellerId: 'sam',
      status: 'draft',
      version: 1,
      createdAt: at,
      updatedAt: at,
      ...overrides,
    }) as Listing;

  it('publishes a listing by its seller, or by the admin who approved it', () => {
    const published = listing({ status: 'published', publishedAt: at });
    expect(eventsOfListingChange(listing({}), published)).toMatchObject([
      {
        type: 'listing.published',
        actor: { kind: 'user', id: 'sam' },
        audience: ['sam'],
        data: { title: lampContent.title },
      },
    ]);
    const approved = { ...published, moderation: { verdict: 'approve' as const, by: 'ada', at } };
    expect(eventsOfListingChange(listing({ status: 'pending-review' }), approved)).toMatchObject([
      { actor: { kind: 'admin', id: 'ada' } },
    ]);
    expect(eventsOfListingChange(published, { ...published, version: 2 })).toEqual([]);
  });

  it("pays or fails a seller's payout line once, and completes a run once", () => {
    const line = {
      runId: 'run-1',
      sellerId: 'sam',
      currency: 'EUR',
      status: 'transferring',
      plannedAmount: 9000,
      runCreatedAt: at,
      updatedAt: at,
    } as PayoutLine;
    const paid = { ...line, status: 'paid' as const, amount: 9000, transferId: 'tr_1', paidAt: at };
    expect(eventsOfPayoutLineChange(line, paid)).toMatchObject([
      {
        type: 'payout.paid',
        subject: { kind: 'payout', id: 'run-1:sam' },
        audience: ['sam'],
        data: { amount: 9000, transferId: 'tr_1' },
      },
    ]);
    expect(eventsOfPayoutLineChange(paid, paid)).toEqual([]);
    const failed = {
      ...line,
      status: 'failed' as const,
      failure: { code: 'account_closed', message: 'Closed' },
    };
    expect(eventsOfPayoutLineChange(line, failed)).toMatchObject([
      { type: 'payout.failed', data: { code: 'account_closed' } },
    ]);
    expect(eventsOfPayoutLineChange(undefined, { ...line, status: 'planned' })).toEqual([]);

    const run = {
      runId: 'run-1',
      currency: 'EUR',
      dryRun: false,
      status: 'paying',
      updatedAt: at,
    } as Parameters<typeof eventsOfPayoutRunChange>[1];
    const done = { ...run, status: 'completed' as const, finishedAt: at };
    expect(eventsOfPayoutRunChange(run, done)).toMatchObject([
      { type: 'payout_run.completed', audience: [], data: { currency: 'EUR', dryRun: false } },
    ]);
    expect(eventsOfPayoutRunChange(done, done)).toEqual([]);
  });

  it('records suspensions placed and lifted, and reviews published', () => {
    const suspension = { userId: 'sam', reason: 'Fraud', by: 'ada', since: at };
    expect(eventsOfSuspension(suspension, undefined, at)).toMatchObject([
      { type: 'user.suspended', actor: { kind: 'admin', id: 'ada' }, audience: ['sam'] },
    ]);
    expect(eventsOfSuspension(undefined, suspension, at)).toMatchObject([{ type: 'user.reinstated' }]);
    const review = {
      id: 'order-1.buyer.seller',
      orderId: 'order-1',
      listingIds: ['l-1'],
      author: { party: 'buyer', userId: 'bea' },
      subject: { party: 'seller', userId: 'sam' },
      rating: 4,
      status: 'hidden',
      createdAt: at,
    } satisfies Review;
    const published = { ...review, status: 'published' as const, publishedAt: at };
    expect(eventsOfReviewChange(review, published)).toMatchObject([
      { type: 'review.published', audience: ['sam'], data: { authorId: 'bea', subjectId: 'sam', rating: 4 } },
    ]);
    expect(eventsOfReviewChange(published, published)).toEqual([]);
  });
});

describe('events of a seller quality notice', () => {
  const notice = {
    sellerId: 'sam',
    kpi: 'acceptanceRate',
    value: 60,
    threshold: 75,
    windowDays: 30,
    samples: 5,
    at,
  } as const;

  it('warns the seller, or says the limit was reached and what was done, in their own feed', () => {
    expect(eventsOfQualityNotice({ ...notice, level: 'warning' })).toEqual([
      {
        type: 'seller.quality_warning',
        occurredAt: at,
        actor: { kind: 'system', name: 'quality-rules' },
        subject: { kind: 'user', id: 'sam' },
        audience: ['sam'],
        data: {
          sellerId: 'sam',
          kpi: 'acceptanceRate',
          value: 60,
          threshold: 75,
          windowDays: 30,
          samples: 5,
        },
      },
    ]);
    const [limit] = eventsOfQualityNotice({
      ...notice,
      level: 'limit',
      threshold: 60,
      action: 'hold-payouts',
    });
    expect(limit).toMatchObject({
      type: 'seller.quality_limit_reached',
      data: { action: 'hold-payouts', threshold: 60 },
    });
  });
});
