import {
  approvalWindowStart,
  decidePayout,
  type PayoutDecision,
  runNeedsApproval,
  type SkipReason,
} from '#shared/domain/payout-run.ts';
import type { PayoutRun, RunSelection } from '#shared/store/payout-runs/run-and-line-types.ts';
import { ledgerStore } from '../composition/stores/ledger-store.ts';
import { paymentsAccountStore } from '../composition/stores/payments-account-store.ts';
import { payoutRunStore } from '../composition/stores/payout-run-store.ts';

/** Lines written at once: DynamoDB takes them in parallel, one conditional Put each. */
const writeConcurrency = 25;

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  for (let start = 0; start < items.length; start += limit) {
    await Promise.all(items.slice(start, start + limit).map(work));
  }
}

/** What each seller of one page of the payable index may be paid, their balances read again, strongly. */
async function decidePage(run: PayoutRun, sellerIds: readonly string[]) {
  const [balances, accounts, onHold] = await Promise.all([
    ledgerStore.payoutBalances(sellerIds, run.currency),
    paymentsAccountStore.getMany(sellerIds),
    payoutRunStore.sellersOnHold(sellerIds),
  ]);
  return Promise.all(
    sellerIds.map(
      async (sellerId): Promise<{ sellerId: string; payable: number; decision: PayoutDecision }> => {
        const { available, frozen } = balances.get(sellerId) ?? { available: 0, frozen: 0 };
        // As of the cutoff: what is available now, less what became available since (never more than now).
        const payable = run.cutoff
          ? Math.min(
              available,
              available - (await ledgerStore.availableChangeSince(sellerId, run.currency, run.cutoff)),
            )
          : available;
        const account = accounts.get(sellerId);
        const decision = decidePayout(
          {
            payable,
            frozen,
            onHold: onHold.has(sellerId),
            ...(account
              ? {
                  account: {
                    stripeAccountId: account.stripeAccountId,
                    payoutsEnabled: account.payoutsEnabled,
                  },
                }
              : {}),
          },
          run.policy,
        );
        return { sellerId, payable, decision };
      },
    ),
  );
}

/**
 * The selection as its lines stand: an attempt cut short may have written lines a later attempt
 * decided otherwise (a line written is kept), and the run pays its lines.
 */
async function selectionOf(run: PayoutRun, belowMinimum: number): Promise<RunSelection> {
  let eligibleCount = 0;
  let eligibleAmount = 0;
  const skipped: Partial<Record<SkipReason, number>> =
    belowMinimum > 0 ? { below_minimum: belowMinimum } : {};
  for await (const lines of payoutRunStore.allLines(run.runId)) {
    for (const line of lines) {
      if (line.status === 'planned') {
        eligibleCount += 1;
        eligibleAmount += line.plannedAmount;
      } else if (line.skipReason) {
        skipped[line.skipReason] = (skipped[line.skipReason] ?? 0) + 1;
      }
    }
  }
  return { eligibleCount, eligibleAmount, skipped };
}

/**
 * Selects who the run pays: everyone the payable index shows with the minimum available, decided
 * on their balances read again. A line is written per seller paid or held back (those below the
 * minimum are only counted); the run then waits for approval (when it takes what its currency's
 * runs of the last 24 hours paid or may pay over the threshold), pays, or, dry, is complete.
 * Writing lines is idempotent, so a selection cut short is simply done again.
 */
export async function selectSellers(run: PayoutRun): Promise<void> {
  let belowMinimum = 0;
  for await (const page of ledgerStore.payableUsers(run.currency, Math.max(run.policy.minimumPayout, 1))) {
    const decisions = await decidePage(
      run,
      page.map(({ userId }) => userId),
    );
    await inParallel(decisions, writeConcurrency, async ({ sellerId, payable, decision }) => {
      if ('pay' in decision) {
        await payoutRunStore.addLine(run, {
          sellerId,
          status: 'planned',
          plannedAmount: decision.pay,
          stripeAccountId: decision.stripeAccountId,
        });
      } else if (decision.skip === 'below_minimum') {
        belowMinimum += 1;
      } else {
        await payoutRunStore.addLine(run, {
          sellerId,
          status: 'skipped',
          plannedAmount: payable,
          skipReason: decision.skip,
        });
      }
    });
  }
  const selection = await selectionOf(run, belowMinimum);
  if (run.dryRun) {
    await payoutRunStore.recordSelection(run, selection, 'completed', { required: false });
    return;
  }
  const recentTotal = await payoutRunStore.recentTotal(run.currency, approvalWindowStart(run.createdAt));
  const required = runNeedsApproval(selection.eligibleAmount, recentTotal, run.policy);
  await payoutRunStore.recordSelection(run, selection, required ? 'awaiting-approval' : 'paying', {
    required,
    recentTotal,
  });
}
