import type { Payments } from '#shared/payments/port.ts';
import { SimulatedPayments } from '#shared/payments/simulated-payments.ts';
import { tableName } from '#shared/store/client.ts';
import { documentClient } from './stores.ts';

/**
 * Composition root of the payment provider. Until the Stripe adapter exists every deployment uses
 * the simulated provider, which records payments in the table and moves no money.
 */
export const payments: Payments = new SimulatedPayments(documentClient, tableName());
