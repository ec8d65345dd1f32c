import { Balances } from './balances.ts';
import { resourceMissing } from './errors.ts';
import type {
  SimAccount,
  SimCharge,
  SimDispute,
  SimEvent,
  SimPaymentIntent,
  SimPayout,
  SimRefund,
  SimTransfer,
} from './objects.ts';

/** What an Account Link's URL leads to: the stand-in for Stripe's hosted onboarding. */
export interface OnboardingLink {
  readonly account: string;
  readonly refreshUrl: string;
  readonly returnUrl: string;
  readonly expiresAt: number;
  used: boolean;
}

export interface ConnectedPayout {
  readonly account: string;
  readonly payout: SimPayout;
}

/** Everything the simulator knows, in memory; objects are mutated in place as Stripe's would change. */
export class SimulatorState {
  readonly accounts = new Map<string, SimAccount>();
  readonly onboardingLinks = new Map<string, OnboardingLink>();
  readonly paymentIntents = new Map<string, SimPaymentIntent>();
  readonly charges = new Map<string, SimCharge>();
  readonly refunds = new Map<string, SimRefund>();
  readonly transfers = new Map<string, SimTransfer>();
  readonly disputes = new Map<string, SimDispute>();
  readonly payouts = new Map<string, ConnectedPayout>();
  /** In the order they happened. */
  readonly events = new Map<string, SimEvent>();
  readonly balances = new Balances();
  /** How much of each charge transfers have drawn on through `source_transaction`. */
  readonly transferredFromCharge = new Map<string, number>();
  /** When set, every card confirmation asks for 3D Secure, as `pm_card_authenticationRequired` does. */
  authenticationRequired = false;

  /** The platform object with this id, for `expand[]`. */
  lookup(id: string): object | undefined {
    const prefix = id.slice(0, id.indexOf('_'));
    const byPrefix: Record<string, ReadonlyMap<string, object>> = {
      acct: this.accounts,
      pi: this.paymentIntents,
      ch: this.charges,
      re: this.refunds,
      tr: this.transfers,
      dp: this.disputes,
    };
    return byPrefix[prefix]?.get(id);
  }
}

/** The object or Stripe's 404 `resource_missing`. */
export function found<T>(objects: ReadonlyMap<string, T>, id: string, objectName: string, param: string): T {
  const object = objects.get(id);
  if (object === undefined) throw resourceMissing(objectName, id, param);
  return object;
}
