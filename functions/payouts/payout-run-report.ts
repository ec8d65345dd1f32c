import { payoutRunStore } from '#shared/app/composition/stores/payout-run-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import type { PayoutLine } from '#shared/store/payout-runs/run-and-line-types.ts';
import { payoutRoutes } from '../routes/payouts.ts';

const columns = [
  'run_id',
  'seller_id',
  'stripe_account_id',
  'currency',
  'status',
  'planned_amount',
  'amount_paid',
  'transfer_id',
  'skip_reason',
  'failure_code',
  'failure_message',
  'bank_payout_status',
  'updated_at',
] as const;

/**
 * RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. Text a
 * spreadsheet would run as a formula (a failure message from Stripe, say) starts with a quote mark.
 */
const csvField = (value: string | number | undefined | null) => {
  const raw = value === undefined || value === null ? '' : String(value);
  const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const csvRow = (fields: readonly (string | number | undefined | null)[]) =>
  `${fields.map(csvField).join(',')}\r\n`;

function lineRow(line: PayoutLine): string {
  return csvRow([
    line.runId,
    line.sellerId,
    line.stripeAccountId,
    line.currency,
    line.status,
    line.plannedAmount,
    line.status === 'paid' ? line.amount : 0,
    line.transferId,
    line.skipReason,
    line.failure?.code,
    line.failure?.message,
    line.bankPayout?.status,
    line.updatedAt,
  ]);
}

/** Every line of the run as CSV for accounting, amounts in minor units; paid amounts sum to the ledger's transfers. */
export const handler = httpHandler(payoutRoutes.payoutRunReport, async ({ params }) => {
  const run = await payoutRunStore.require(params.runId);
  let csv = csvRow(columns);
  for await (const lines of payoutRunStore.allLines(run.runId)) csv += lines.map(lineRow).join('');
  return {
    status: 200,
    body: csv,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${run.runId}.csv"`,
    },
  };
});
