import type Stripe from 'stripe';
import type { SellerPaymentsAccount } from '#shared/domain/payments-account.ts';
import type { SellerProfile } from '#shared/domain/seller.ts';
import { logger } from '#shared/logger.ts';
import {
  onboardingRefreshUrlVariable,
  onboardingReturnUrlVariable,
} from '#shared/payments/onboarding-urls.ts';
import { paymentsAccountStateOf, sellerIdMetadataKey, sellerIdOf } from '#shared/payments/stripe-connect.ts';
import { paymentsAccountStore } from '../composition/stores/payments-account-store.ts';
import { stripeApi } from '../composition/stripe-api.ts';

function urlSetting(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: seller onboarding needs it (see the README's configuration)`);
  if (!URL.canParse(value)) throw new Error(`${name} must be an absolute URL, not ${value}`);
  return value;
}

/**
 * Where Stripe's hosted onboarding sends the seller: to `returnUrl` when they leave it, to
 * `refreshUrl` when the link has expired or was used; the page there asks
 * POST /sellers/me/payments-account for a fresh link. Read at each use, so a deployment without
 * them fails only its onboarding calls, saying what is missing.
 */
const onboardingUrls = () => ({
  returnUrl: urlSetting(onboardingReturnUrlVariable),
  refreshUrl: urlSetting(onboardingRefreshUrlVariable),
});

export interface OnboardingLink {
  readonly url: string;
  readonly expiresAt: string;
}

/**
 * The seller's Express connected account, created at Stripe on the first call. Concurrent first
 * calls send the same idempotency key and get the same account; the conditional write keeps one
 * account per seller even if calls lie further apart than Stripe keeps keys (24 h).
 */
export async function paymentsAccountOf(profile: SellerProfile): Promise<SellerPaymentsAccount> {
  const stored = await paymentsAccountStore.get(profile.sellerId);
  if (stored) return stored;
  const stripe = await stripeApi();
  const observedAt = new Date();
  const account = await stripe.accounts.create(
    {
      type: 'express',
      country: profile.country,
      // Separate charges and transfers: the platform charges buyers and transfers sellers their part.
      capabilities: { transfers: { requested: true } },
      metadata: { [sellerIdMetadataKey]: profile.sellerId },
    },
    { idempotencyKey: `account:${profile.sellerId}` },
  );
  return paymentsAccountStore.recordCreated(profile.sellerId, paymentsAccountStateOf(account), observedAt);
}

/** A new Account Link into Stripe's hosted onboarding: each link opens once and expires within minutes. */
export async function createOnboardingLink(stripeAccountId: string): Promise<OnboardingLink> {
  const { returnUrl, refreshUrl } = onboardingUrls();
  const stripe = await stripeApi();
  const link = await stripe.accountLinks.create({
    account: stripeAccountId,
    type: 'account_onboarding',
    return_url: returnUrl,
    refresh_url: refreshUrl,
  });
  return { url: link.url, expiresAt: new Date(link.expires_at * 1000).toISOString() };
}

async function readAccount(stripeAccountId: string) {
  const stripe = await stripeApi();
  const observedAt = new Date();
  return { observedAt, account: await stripe.accounts.retrieve(stripeAccountId) };
}

/** Reads the seller's account from Stripe and stores what it says; returns the account as it stands. */
export async function refreshPaymentsAccount(stored: SellerPaymentsAccount): Promise<SellerPaymentsAccount> {
  const { observedAt, account } = await readAccount(stored.stripeAccountId);
  return paymentsAccountStore.recordObserved(stored.sellerId, paymentsAccountStateOf(account), observedAt);
}

/** `account.updated` of a connected account: its status is re-read and stored for the seller it names. */
export async function applyAccountUpdated(event: Stripe.AccountUpdatedEvent): Promise<void> {
  const { observedAt, account } = await readAccount(event.data.object.id);
  const sellerId = sellerIdOf(account);
  if (!sellerId) {
    logger.warn('account.updated of an account created for no seller', {
      eventId: event.id,
      stripeAccountId: account.id,
    });
    return;
  }
  await paymentsAccountStore.recordObserved(sellerId, paymentsAccountStateOf(account), observedAt);
}
