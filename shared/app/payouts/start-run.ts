import { createHash } from 'node:crypto';
import { DomainError } from '#shared/domain/errors.ts';
import { isFinalRunStatus } from '#shared/domain/payout-run.ts';
import type { TransactItem } from '#shared/store/conditional.ts';
import type { PayoutRun } from '#shared/store/payout-runs/run-and-line-types.ts';
import { payoutRunStore } from '../composition/stores/payout-run-store.ts';
import { payoutWorkflow } from '../composition/workflows.ts';
import { keyedId } from '../idempotency/keyed-id.ts';
import { payoutSettings } from './payout-settings.ts';

export interface RunRequest {
  /** The finance user, or `schedule`. */
  readonly startedBy: string;
  /** Names the run with `startedBy`: starting again with it starts nothing new. */
  readonly idempotencyKey: string;
  readonly currency: string;
  readonly cutoff?: string;
  readonly dryRun: boolean;
}

const fingerprintOf = ({ currency, cutoff, dryRun }: RunRequest) =>
  createHash('sha256').update(JSON.stringify({ currency, cutoff, dryRun })).digest('base64url');

/**
 * Creates the run with the operator's current payout settings and starts its execution, named by
 * the run. A repeated start answers the same run (and starts its execution if the first start
 * died before it could); the same key with other terms is refused.
 */
export async function startPayoutRun(
  request: RunRequest,
  now = new Date(),
  idempotencyClaim?: (runId: string) => TransactItem,
): Promise<{ readonly run: PayoutRun; readonly created: boolean }> {
  if (request.cutoff !== undefined && Date.parse(request.cutoff) > now.getTime()) {
    throw new DomainError('unprocessable', 'cutoff_in_future', 'The cutoff must not be in the future.', [
      { path: ['cutoff'], message: 'must not be in the future' },
    ]);
  }
  // Compared with the ledger's millisecond timestamps as text: one form only.
  const cutoff = request.cutoff === undefined ? undefined : new Date(request.cutoff).toISOString();
  const runId = keyedId('pr', request.startedBy, request.idempotencyKey);
  const fingerprint = fingerprintOf(request);
  const settings = payoutSettings();
  const outcome = await payoutRunStore.create(
    {
      runId,
      currency: request.currency,
      dryRun: request.dryRun,
      ...(cutoff === undefined ? {} : { cutoff }),
      startedBy: request.startedBy,
      policy: settings.policy,
      concurrency: settings.concurrency,
      approvalTimeoutSeconds: settings.approvalTimeoutSeconds,
      fingerprint,
      createdAt: now.toISOString(),
    },
    idempotencyClaim?.(runId),
  );
  const run = await payoutRunStore.require(runId);
  if (run.fingerprint !== fingerprint) {
    throw new DomainError(
      'unprocessable',
      'idempotency_key_reused',
      'This Idempotency-Key started another payout run; use a new key for a new run.',
    );
  }
  if (!isFinalRunStatus(run.status)) await payoutWorkflow.start(runId, { runId });
  return { run, created: outcome === 'created' };
}
