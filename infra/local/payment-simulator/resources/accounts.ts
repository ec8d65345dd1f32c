import type Stripe from 'stripe';
import type { OperationContext } from '../context.ts';
import { invalidParameter } from '../errors.ts';
import type { FormHash } from '../form.ts';
import { newId, randomToken } from '../ids.ts';
import { type SimAccount, update } from '../objects.ts';
import { Params } from '../params.ts';
import { found } from '../state.ts';

type Capabilities = NonNullable<SimAccount['capabilities']>;
type Requirements = NonNullable<SimAccount['requirements']>;
type DisabledReason = NonNullable<Requirements['disabled_reason']>;

/** Why Stripe disables an account, as `requirements.disabled_reason` says it. */
export const disabledReasons = [
  'action_required.requested_capabilities',
  'listed',
  'other',
  'platform_paused',
  'rejected.fraud',
  'rejected.incomplete_verification',
  'rejected.listed',
  'rejected.other',
  'rejected.platform_fraud',
  'rejected.platform_other',
  'rejected.platform_terms_of_service',
  'rejected.terms_of_service',
  'requirements.past_due',
  'requirements.pending_verification',
  'under_review',
] as const satisfies readonly DisabledReason[];

const supportedCapabilities = ['card_payments', 'transfers'] as const;
const isSupportedCapability = (name: string): name is (typeof supportedCapabilities)[number] =>
  (supportedCapabilities as readonly string[]).includes(name);

/** What a new Express account has still to provide before Stripe enables charges and payouts. */
const onboardingDue = [
  'business_profile.url',
  'business_type',
  'external_account',
  'tos_acceptance.date',
  'tos_acceptance.ip',
];

/** How long an Account Link stays usable, as on Stripe. */
const accountLinkLifetimeSeconds = 300;

function requirements(currentlyDue: string[], disabledReason: DisabledReason | null): Requirements {
  return {
    alternatives: [],
    current_deadline: null,
    currently_due: currentlyDue,
    disabled_reason: disabledReason,
    errors: [],
    eventually_due: currentlyDue,
    past_due: currentlyDue,
    pending_verification: [],
  };
}

function requestedCapabilities(params: Params): Capabilities {
  const capabilities: Capabilities = {};
  for (const [name, request] of Object.entries(params.hash('capabilities') ?? {})) {
    const param = `capabilities[${name}]`;
    if (!isSupportedCapability(name)) {
      throw invalidParameter(`The simulator supports only ${supportedCapabilities.join(' and ')}.`, param);
    }
    if (typeof request === 'string' || (request.requested !== 'true' && request.requested !== 'false')) {
      throw invalidParameter(`Invalid boolean: ${param}[requested]`, `${param}[requested]`);
    }
    if (request.requested === 'true') capabilities[name] = 'inactive';
  }
  return capabilities;
}

export function createAccount(context: OperationContext, form: FormHash): SimAccount {
  const params = new Params(form, ['type', 'country', 'email', 'business_type', 'capabilities', 'metadata']);
  params.requiredOneOf('type', ['express']);
  const country = params.string('country') ?? 'US';
  if (!/^[A-Z]{2}$/.test(country)) throw invalidParameter(`Invalid country: ${country}`, 'country');
  const account: SimAccount = {
    id: newId('acct', 16),
    object: 'account',
    type: 'express',
    country,
    email: params.string('email') ?? null,
    created: context.clock.now(),
    business_type:
      params.oneOf('business_type', ['company', 'government_entity', 'individual', 'non_profit']) ?? null,
    capabilities: requestedCapabilities(params),
    charges_enabled: false,
    payouts_enabled: false,
    details_submitted: false,
    requirements: requirements([...onboardingDue], 'requirements.past_due'),
    metadata: params.metadata(),
  };
  context.state.accounts.set(account.id, account);
  return account;
}

export const retrieveAccount = (context: OperationContext, id: string): SimAccount =>
  found(context.state.accounts, id, 'account', 'account');

export function createAccountLink(context: OperationContext, form: FormHash): Stripe.AccountLink {
  const params = new Params(form, ['account', 'refresh_url', 'return_url', 'type']);
  const account = found(context.state.accounts, params.requiredString('account'), 'account', 'account');
  const url = (name: string) => {
    const value = params.requiredString(name);
    if (!URL.canParse(value)) throw invalidParameter('Not a valid URL', name, 'url_invalid');
    return value;
  };
  const refreshUrl = url('refresh_url');
  const returnUrl = url('return_url');
  params.requiredOneOf('type', ['account_onboarding']);
  const created = context.clock.now();
  const token = randomToken(32);
  context.state.onboardingLinks.set(token, {
    account: account.id,
    refreshUrl,
    returnUrl,
    expiresAt: created + accountLinkLifetimeSeconds,
    used: false,
  });
  return {
    object: 'account_link',
    created,
    expires_at: created + accountLinkLifetimeSeconds,
    url: `${context.baseUrl}/_simulator/onboarding/${token}`,
  };
}

/** Applies a status change and tells the platform with a Connect `account.updated` event. */
function updateAccount(
  context: OperationContext,
  account: SimAccount,
  changes: Pick<
    SimAccount,
    'charges_enabled' | 'payouts_enabled' | 'details_submitted' | 'capabilities' | 'requirements'
  >,
): SimAccount {
  const previousAttributes = structuredClone(
    Object.fromEntries(Object.keys(changes).map((key) => [key, account[key as keyof typeof changes]])),
  );
  update(account, changes);
  context.emit('account.updated', account, { account: account.id, previousAttributes });
  return account;
}

function capabilitiesIn(account: SimAccount, status: 'active' | 'inactive'): Capabilities {
  return Object.fromEntries(Object.keys(account.capabilities ?? {}).map((name) => [name, status]));
}

/** The seller finished Stripe's onboarding and verification passed. */
export function completeOnboarding(context: OperationContext, accountId: string): SimAccount {
  const account = retrieveAccount(context, accountId);
  return updateAccount(context, account, {
    charges_enabled: true,
    payouts_enabled: true,
    details_submitted: true,
    capabilities: capabilitiesIn(account, 'active'),
    requirements: requirements([], null),
  });
}

export interface Rejection {
  readonly disabledReason?: (typeof disabledReasons)[number];
  /** Information Stripe still asks for, e.g. `['individual.verification.document']`. */
  readonly currentlyDue?: string[];
}

/** Stripe disabled the account: verification failed, or information is still due. */
export function rejectOnboarding(context: OperationContext, accountId: string, rejection: Rejection = {}) {
  const account = retrieveAccount(context, accountId);
  return updateAccount(context, account, {
    charges_enabled: false,
    payouts_enabled: false,
    details_submitted: account.details_submitted,
    capabilities: capabilitiesIn(account, 'inactive'),
    requirements: requirements(rejection.currentlyDue ?? [], rejection.disabledReason ?? 'rejected.other'),
  });
}

/**
 * Following an Account Link: a fresh link completes onboarding and leads to `return_url`; a used
 * or expired one leads to `refresh_url`, where the platform creates a new link. Undefined for an
 * unknown link.
 */
export function followOnboardingLink(context: OperationContext, token: string): string | undefined {
  const link = context.state.onboardingLinks.get(token);
  if (!link) return undefined;
  if (link.used || context.clock.now() >= link.expiresAt) return link.refreshUrl;
  link.used = true;
  completeOnboarding(context, link.account);
  return link.returnUrl;
}
