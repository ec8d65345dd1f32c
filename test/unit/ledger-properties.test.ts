import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineCommission, splitProceeds } from '#shared/domain/commission.ts';
import { DomainError } from '#shared/domain/errors.ts';
import {
  type Account,
  normalBalance,
  platformAccount,
  type UserAccountType,
  userAccount,
} from '#shared/domain/ledger/accounts.ts';
import { type Balances, balanceOf, balancesOf, postTransaction } from '#shared/domain/ledger/balances.ts';
import { type OrderMoney, orderLedger } from '#shared/domain/ledger/order-ledger.ts';
import {
  captureOrder,
  loseDispute,
  openDispute,
  refundOrder,
  releaseOrder,
  winDispute,
} from '#shared/domain/ledger/order-postings.ts';
import { type LedgerTransaction, orderScope, transferScope } from '#shared/domain/ledger/transaction.ts';
import { reverseTransfer, transferLedger, transferToUser } from '#shared/domain/ledger/transfer-postings.ts';

const currencies = ['EUR', 'JPY', 'USD'] as const;
const users = ['ana', 'ben', 'cy', 'dee'] as const;

/** An amount to ask for: a number, exactly what is left, or one more than that (always refused). */
const askArbitrary = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 50_000 }) },
  { weight: 1, arbitrary: fc.constant('all' as const) },
  { weight: 1, arbitrary: fc.constant('one-more' as const) },
);
type Ask = typeof askArbitrary extends fc.Arbitrary<infer T> ? T : never;
const amountFor = (ask: Ask, left: number) => (ask === 'all' ? left : ask === 'one-more' ? left + 1 : ask);

const stepArbitrary = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('checkout' as const),
      currency: fc.constantFrom(...currencies),
      seller: fc.nat(),
      lines: fc.array(
        fc.record({
          amount: fc.integer({ min: 0, max: 200_000 }),
          rateBps: fc.integer({ min: 0, max: 10_000 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      providers: fc.array(fc.record({ user: fc.nat(), shareBps: fc.integer({ min: 0, max: 5_000 }) }), {
        maxLength: 2,
      }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('capture' as const), order: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('release' as const), order: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('refund' as const),
      order: fc.nat(),
      lines: fc.array(fc.record({ line: fc.nat(), ask: askArbitrary }), { minLength: 1, maxLength: 2 }),
      refundFee: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constantFrom('dispute-opened' as const, 'dispute-won' as const, 'dispute-lost' as const),
      order: fc.nat(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ type: fc.constant('transfer' as const), to: fc.nat(), ask: askArbitrary }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ type: fc.constant('reversal' as const), transfer: fc.nat(), ask: askArbitrary }),
  },
);
type Step = typeof stepArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** The ledger in memory: transactions once each (by id), and the balances they add up to. */
class InMemoryLedger {
  readonly transactions: LedgerTransaction[] = [];
  balances: Balances = new Map();

  post(transaction: LedgerTransaction): void {
    if (this.transactions.some((posted) => posted.id === transaction.id)) return;
    this.balances = postTransaction(this.balances, transaction);
    this.transactions.push(transaction);
  }

  of(scope: string): LedgerTransaction[] {
    return this.transactions.filter((transaction) => transaction.scope === scope);
  }

  read(account: Account, currency: string): number {
    return normalBalance(account, balanceOf(this.balances, account, currency));
  }
}

/** What the test itself remembers, to check the ledger against. */
interface World {
  readonly ledger: InMemoryLedger;
  readonly orders: OrderMoney[];
  /** Per order, per line: what the buyer was given back. */
  readonly returned: number[][];
  readonly transfers: { id: string; amount: number; reversed: number }[];
}

const pick = <T>(items: readonly T[], index: number): T | undefined =>
  items[index % Math.max(items.length, 1)];

function checkoutOrder(world: World, step: Extract<Step, { type: 'checkout' }>): void {
  const lines = step.lines.map(({ amount, rateBps }) => ({
    amount,
    commission: lineCommission(amount, rateBps),
  }));
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  const commission = lines.reduce((sum, line) => sum + line.commission, 0);
  const sellerId = pick(users, step.seller) ?? 'ana';
  const providers = step.providers.map(({ user, shareBps }, index) => ({
    party: `provider-${index}`,
    userId: pick(users, user) ?? 'ana',
    shareBps,
  }));
  const id = `order-${world.orders.length}`;
  const payees = splitProceeds(total - commission, sellerId, providers);
  world.orders.push({ id, currency: step.currency, total, commission, lines, payees });
  world.returned.push(lines.map(() => 0));
}

/** What a step must do: post its transaction, be refused, or either (the test does not model why). */
type Expected = 'posts' | 'refused' | 'either';

/** Posts what `decide` returns, after checking that it posts or is refused as expected. */
function attempt(ledger: InMemoryLedger, expected: Expected, decide: () => LedgerTransaction) {
  let transaction: LedgerTransaction;
  try {
    transaction = decide();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    expect(expected, `refused: ${error.message}`).not.toBe('posts');
    return undefined;
  }
  expect(expected, `${transaction.id} should have been refused`).not.toBe('refused');
  ledger.post(transaction);
  return transaction;
}

const expectedWhen = (posts: boolean): Expected => (posts ? 'posts' : 'refused');

/** The buyer is given back what the refund asked for, or nothing when it is refused. */
function refund(
  world: World,
  order: OrderMoney,
  returned: number[],
  step: Extract<Step, { type: 'refund' }>,
) {
  const state = orderLedger(order, world.ledger.of(orderScope(order.id)));
  const left = (line: number) => (order.lines[line]?.amount ?? 0) - (returned[line] ?? 0);
  const asked = new Map(step.lines.map(({ line, ask }) => [line % order.lines.length, ask]));
  const lines = [...asked].map(([line, ask]) => ({ line, amount: amountFor(ask, left(line)) }));
  const mustRefuse =
    !state.captured ||
    state.openDisputeId !== undefined ||
    lines.some(({ line, amount }) => amount === 0 || amount > left(line));
  const refundId = `refund-${world.ledger.transactions.length}`;
  const request = { refundId, lines, refundFee: step.refundFee };
  // Without the fee, a refund may also be refused for asking more than the payees hold.
  const expected = mustRefuse ? 'refused' : step.refundFee ? 'posts' : 'either';
  const posted = attempt(world.ledger, expected, () => refundOrder(order, state, request));
  if (!posted) return;
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  expect(posted.entries.find((entry) => entry.account === 'platform:cash')?.amount).toBe(-total);
  for (const { line, amount } of lines) returned[line] = (returned[line] ?? 0) + amount;
}

function orderStep(world: World, step: Exclude<Step, { type: 'checkout' | 'transfer' | 'reversal' }>): void {
  const index = step.order % Math.max(world.orders.length, 1);
  const order = world.orders[index];
  const returned = world.returned[index];
  if (!order || !returned) return;
  const { ledger } = world;
  const state = orderLedger(order, ledger.of(orderScope(order.id)));
  const disputeId = `dispute-${ledger.transactions.length}`;
  switch (step.type) {
    case 'capture':
      attempt(ledger, 'posts', () => captureOrder(order));
      break;
    case 'release':
      attempt(ledger, expectedWhen(state.captured), () => releaseOrder(order, state));
      break;
    case 'refund':
      refund(world, order, returned, step);
      break;
    case 'dispute-opened': {
      const expected = expectedWhen(state.captured && state.openDisputeId === undefined);
      attempt(ledger, expected, () => openDispute(order, state, disputeId));
      break;
    }
    case 'dispute-won':
      attempt(ledger, expectedWhen(state.openDisputeId !== undefined), () =>
        winDispute(order, state, state.openDisputeId ?? disputeId),
      );
      break;
    case 'dispute-lost': {
      const lost = attempt(ledger, expectedWhen(state.openDisputeId !== undefined), () =>
        loseDispute(order, state, state.openDisputeId ?? disputeId),
      );
      // The buyer keeps everything, so the whole order has now been given back.
      if (lost) returned.splice(0, returned.length, ...order.lines.map((line) => line.amount));
      break;
    }
  }
}

/** Transfers to a user with money available when there is one, so that transfers happen often. */
function transfer(world: World, step: Extract<Step, { type: 'transfer' }>): void {
  const everyone = users.flatMap((userId) => currencies.map((currency) => ({ userId, currency })));
  const withMoney = everyone.filter(
    ({ userId, currency }) => world.ledger.read(userAccount(userId, 'available'), currency) > 0,
  );
  const { userId, currency } = pick(withMoney.length > 0 ? withMoney : everyone, step.to) ?? {
    userId: 'ana',
    currency: 'EUR',
  };
  const account = userAccount(userId, 'available');
  const available = world.ledger.read(account, currency);
  const amount = amountFor(step.ask, Math.max(available, 0));
  const id = `transfer-${world.transfers.length}`;
  const request = { transferId: id, userId, currency, amount };
  const posted = attempt(world.ledger, expectedWhen(amount > 0 && amount <= available), () =>
    transferToUser(request, available, transferLedger(id, [])),
  );
  if (!posted) return;
  world.transfers.push({ id, amount, reversed: 0 });
  expect(world.ledger.read(account, currency), 'a transfer never overdraws available').toBeGreaterThanOrEqual(
    0,
  );
}

function reversal(world: World, step: Extract<Step, { type: 'reversal' }>): void {
  const made = pick(world.transfers, step.transfer);
  if (!made) return;
  const left = made.amount - made.reversed;
  const amount = amountFor(step.ask, left);
  const state = transferLedger(made.id, world.ledger.of(transferScope(made.id)));
  const reversalId = `reversal-${world.ledger.transactions.length}`;
  const posted = attempt(world.ledger, expectedWhen(amount > 0 && amount <= left), () =>
    reverseTransfer(made.id, state, { reversalId, amount }),
  );
  if (posted) made.reversed += amount;
}

function run(world: World, step: Step): void {
  if (step.type === 'checkout') checkoutOrder(world, step);
  else if (step.type === 'transfer') transfer(world, step);
  else if (step.type === 'reversal') reversal(world, step);
  else orderStep(world, step);
}

/** Every account the ledger has, per currency, summed by the test from the entries themselves. */
function sumsOfEntries(transactions: readonly LedgerTransaction[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const { currency, entries } of transactions) {
    for (const { account, amount } of entries) {
      sums.set(`${currency} ${account}`, (sums.get(`${currency} ${account}`) ?? 0) + amount);
    }
  }
  return sums;
}

/** The invariants the ledger breaks at this point, named; none if it keeps them all. */
function brokenInvariants(world: World): string[] {
  const { ledger } = world;
  const broken: string[] = [];
  const check = (holds: boolean, invariant: string) => {
    if (!holds) broken.push(invariant);
  };
  for (const { id, entries } of ledger.transactions) {
    check(entries.reduce((sum, entry) => sum + entry.amount, 0) === 0, `${id} balances`);
    check(
      entries.every((entry) => Number.isSafeInteger(entry.amount)),
      `${id} moves whole minor units`,
    );
  }

  const sums = sumsOfEntries(ledger.transactions);
  for (const key of new Set([...sums.keys(), ...ledger.balances.keys()])) {
    check(
      (ledger.balances.get(key) ?? 0) === (sums.get(key) ?? 0),
      `${key}: the balance is the sum of its entries`,
    );
  }

  world.orders.forEach((order, index) => {
    const transactions = ledger.of(orderScope(order.id));
    const captured = transactions
      .filter(({ kind }) => kind === 'capture')
      .reduce(
        (total, { entries }) => total + (entries.find((e) => e.account === 'platform:cash')?.amount ?? 0),
        0,
      );
    const givenBack = transactions
      .flatMap(({ returnedLines }) => returnedLines ?? [])
      .reduce((total, line) => total + line.amount, 0);
    check(givenBack <= captured, `${order.id}: refunds never exceed captures`);
    order.lines.forEach((line, lineIndex) => {
      check(
        (world.returned[index]?.[lineIndex] ?? 0) <= line.amount,
        `${order.id}: line ${lineIndex} over-refunded`,
      );
    });
    const state = orderLedger(order, transactions);
    const proceedsLeft = state.lines.reduce((total, line) => total + line.proceeds, 0);
    const payeesHold = state.payees.reduce((total, payee) => total + payee.held + payee.frozen, 0);
    check(payeesHold === proceedsLeft, `${order.id}: the payees hold the proceeds not given back`);
    check(
      state.lines.every((line) => line.commission >= 0 && line.proceeds >= 0),
      `${order.id}: no line gives back more commission or proceeds than it had`,
    );
  });

  for (const currency of currencies) {
    const read = (account: Account) => ledger.read(account, currency);
    const totalOf = (type: UserAccountType) =>
      users.reduce((total, userId) => total + read(userAccount(userId, type)), 0);
    for (const userId of users) {
      for (const type of ['pending', 'frozen', 'paid-out'] as const) {
        check(
          read(userAccount(userId, type)) >= 0,
          `${userAccount(userId, type)} ${currency} is not negative`,
        );
      }
    }
    for (const type of ['fees', 'disputes', 'refunds', 'transfers'] as const) {
      check(read(platformAccount(type)) >= 0, `platform:${type} ${currency} is not negative`);
    }
    check(read('platform:refunds') <= read('platform:fees'), `${currency}: commission given back was earned`);
    check(
      read('platform:transfers') === totalOf('paid-out'),
      `${currency}: transfers are the users' paid-out`,
    );
    check(
      read('platform:cash') + read('platform:disputes') ===
        read('platform:fees') -
          read('platform:refunds') +
          totalOf('pending') +
          totalOf('available') +
          totalOf('frozen'),
      `${currency}: cash and disputes cover net fees and what users are owed`,
    );
  }
  return broken;
}

describe('the ledger under random sequences of checkouts, captures, refunds, disputes and transfers', () => {
  it('balances every transaction, keeps balances equal to the entries and never refunds more than captured', () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { minLength: 10, maxLength: 60, size: 'max' }), (steps) => {
        const world: World = { ledger: new InMemoryLedger(), orders: [], returned: [], transfers: [] };
        for (const step of steps) {
          run(world, step);
          expect(brokenInvariants(world), JSON.stringify(step)).toEqual([]);
        }
        expect(balancesOf(world.ledger.transactions)).toEqual(world.ledger.balances);
      }),
      { numRuns: 300 },
    );
  });
});
