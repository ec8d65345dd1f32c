import { platform } from '../balances.ts';
import type { OperationContext } from '../context.ts';
import { invalidRequest } from '../errors.ts';
import type { FormHash } from '../form.ts';
import { newId } from '../ids.ts';
import { listOf } from '../lists.ts';
import type { SimAccount, SimList, SimTransfer, SimTransferReversal } from '../objects.ts';
import { Params } from '../params.ts';
import { found } from '../state.ts';
import { unrefunded } from './charges.ts';

export const retrieveTransfer = (context: OperationContext, id: string): SimTransfer =>
  found(context.state.transfers, id, 'transfer', 'id');

/** Transfers, newest first, optionally of one destination and one transfer group, as `GET /v1/transfers`. */
export function listTransfers(context: OperationContext, form: FormHash): SimList<SimTransfer> {
  const params = new Params(form, ['destination', 'transfer_group', 'limit']);
  const destination = params.string('destination');
  const transferGroup = params.string('transfer_group');
  return listOf(
    [...context.state.transfers.values()]
      .filter((transfer) => destination === undefined || transfer.destination === destination)
      .filter((transfer) => transferGroup === undefined || transfer.transfer_group === transferGroup),
    params,
    '/v1/transfers',
  );
}

function destinationAccount(context: OperationContext, id: string): SimAccount {
  const account = context.state.accounts.get(id);
  if (!account) {
    throw invalidRequest(`No such destination: '${id}'`, { code: 'resource_missing', param: 'destination' });
  }
  if (account.capabilities?.transfers !== 'active') {
    throw invalidRequest(
      'Your destination account needs to have at least one of the following capabilities enabled: ' +
        'transfers, crypto_transfers, legacy_payments',
      { code: 'insufficient_capabilities_for_transfer', param: 'destination' },
    );
  }
  return account;
}

function checkPlatformFunds(context: OperationContext, amount: number, currency: string): void {
  if (context.state.balances.available(platform, currency) < amount) {
    throw invalidRequest(
      'You have insufficient available funds in your Stripe account. Try adding funds directly to your ' +
        'available balance by creating Charges using the 4000000000000077 test card.',
      { code: 'balance_insufficient' },
    );
  }
}

const transferredFrom = (context: OperationContext, chargeId: string) =>
  context.state.transferredFromCharge.get(chargeId) ?? 0;

/** A transfer with `source_transaction` draws on what that charge captured, less refunds and earlier transfers. */
function checkSourceFunds(
  context: OperationContext,
  amount: number,
  currency: string,
  chargeId: string,
): void {
  const charge = context.state.charges.get(chargeId);
  if (!charge) {
    throw invalidRequest(`No such charge: '${chargeId}'`, {
      code: 'resource_missing',
      param: 'source_transaction',
    });
  }
  if (charge.currency !== currency) {
    throw invalidRequest(
      `The currency of source_transaction (${charge.currency}) must be the transfer currency (${currency}).`,
      { param: 'currency' },
    );
  }
  const left = unrefunded(charge) - transferredFrom(context, chargeId);
  if (amount > left) {
    throw invalidRequest(
      `Charge ${chargeId} has ${left} ${currency} left to transfer, less than ${amount}.`,
      {
        code: 'balance_insufficient',
        param: 'amount',
      },
    );
  }
}

function drawOnSource(context: OperationContext, transfer: SimTransfer, amount: number): void {
  const chargeId = transfer.source_transaction;
  if (typeof chargeId === 'string') {
    context.state.transferredFromCharge.set(chargeId, transferredFrom(context, chargeId) + amount);
  }
}

/** Pays a connected account from the platform balance (separate charges and transfers). */
export function createTransfer(context: OperationContext, form: FormHash): SimTransfer {
  const params = new Params(form, [
    'amount',
    'currency',
    'destination',
    'transfer_group',
    'source_transaction',
    'description',
    'metadata',
  ]);
  const amount = params.requiredInteger('amount', 1);
  const currency = params.requiredCurrency();
  const destination = destinationAccount(context, params.requiredString('destination'));
  const sourceTransaction = params.string('source_transaction');
  const metadata = params.metadata();
  if (sourceTransaction === undefined) checkPlatformFunds(context, amount, currency);
  else checkSourceFunds(context, amount, currency, sourceTransaction);
  const id = newId('tr');
  const transfer: SimTransfer = {
    id,
    object: 'transfer',
    amount,
    amount_reversed: 0,
    balance_transaction: null,
    created: context.clock.now(),
    currency,
    description: params.string('description') ?? null,
    destination: destination.id,
    destination_payment: newId('py'),
    livemode: false,
    metadata,
    reversals: {
      object: 'list',
      data: [],
      has_more: false,
      total_count: 0,
      url: `/v1/transfers/${id}/reversals`,
    },
    reversed: false,
    source_transaction: sourceTransaction ?? null,
    source_type: 'card',
    transfer_group: params.string('transfer_group') ?? null,
  };
  context.state.transfers.set(id, transfer);
  drawOnSource(context, transfer, amount);
  context.state.balances.move(platform, destination.id, currency, amount);
  context.emit('transfer.created', transfer);
  return transfer;
}

/** Takes back part or all of a transfer from the connected account. */
export function createTransferReversal(
  context: OperationContext,
  id: string,
  form: FormHash,
): SimTransferReversal {
  const params = new Params(form, ['amount', 'metadata']);
  const transfer = retrieveTransfer(context, id);
  const remaining = transfer.amount - transfer.amount_reversed;
  const amount = params.integer('amount', 1) ?? remaining;
  if (remaining === 0 || amount > remaining) {
    throw invalidRequest(`Transfer ${id} has ${remaining} left to reverse; ${amount} cannot be reversed.`, {
      code: 'amount_too_large',
      param: 'amount',
    });
  }
  const reversal: SimTransferReversal = {
    id: newId('trr'),
    object: 'transfer_reversal',
    amount,
    balance_transaction: null,
    created: context.clock.now(),
    currency: transfer.currency,
    destination_payment_refund: newId('pyr'),
    metadata: params.metadata(),
    source_refund: null,
    transfer: id,
  };
  transfer.amount_reversed += amount;
  transfer.reversed = transfer.amount_reversed === transfer.amount;
  transfer.reversals.data.push(reversal);
  transfer.reversals.total_count += 1;
  drawOnSource(context, transfer, -amount);
  context.state.balances.move(String(transfer.destination), platform, transfer.currency, amount);
  context.emit('transfer.reversed', transfer);
  return reversal;
}
