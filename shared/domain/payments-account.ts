import { DomainError } from './errors.ts';

/** What Stripe said about a seller's connected account when the marketplace last read it. */
export interface PaymentsAccountState {
  readonly stripeAccountId: string;
  /** Stripe lets the account take payments: the seller may publish listings. */
  readonly chargesEnabled: boolean;
  /** Stripe lets the account pay out to the seller's bank: the seller may be paid. */
  readonly payoutsEnabled: boolean;
  readonly detailsSubmitted: boolean;
  /** Stripe's names of the information it needs now (`requirements.currently_due`). */
  readonly requirementsDue: readonly string[];
  /** Why Stripe disabled the account (`requirements.disabled_reason`), if it did. */
  readonly disabledReason: string | null;
}

export interface SellerPaymentsAccount extends PaymentsAccountState {
  readonly sellerId: string;
  /** When the read from Stripe that found this state began; a later read never loses to an earlier one. */
  readonly observedAt: string;
  readonly updatedAt: string;
}

export const paymentsNextSteps = [
  'none',
  'start-onboarding',
  'finish-onboarding',
  'wait-for-stripe',
  'contact-support',
] as const;
export type PaymentsNextStep = (typeof paymentsNextSteps)[number];

export interface PaymentsAccountExplanation {
  readonly nextStep: PaymentsNextStep;
  /** What Stripe still needs, in plain words. */
  readonly missing: readonly string[];
  /** What the seller can do now and what to do next, for the seller to read. */
  readonly explanation: string;
}

const onboardingLink = 'POST /sellers/me/payments-account gives you a link to onboard with Stripe';

/** The first matching prefix names the information; Stripe's own name is shown for anything else. */
const requirementWords: readonly (readonly [prefix: string, words: string])[] = [
  ['external_account', 'a bank account for your payouts'],
  ['tos_acceptance.', "your acceptance of Stripe's terms of service"],
  ['business_type', 'your type of business'],
  ['business_profile.', 'your business details (website, industry)'],
  ['individual.verification.', 'an identity document'],
  ['individual.', 'your personal details'],
  ['company.verification.', "your company's registration document"],
  ['company.', "your company's details"],
  ['representative.', "your representative's details"],
  ['owners.', "your business owners' details"],
  ['directors.', "your company directors' details"],
  ['executives.', "your company executives' details"],
];

const disabledReasonWords: Readonly<Record<string, string>> = {
  'action_required.requested_capabilities': 'Stripe needs more information before it enables payments',
  listed: 'the account matched a restricted-persons list and is under review',
  other: 'Stripe disabled the account',
  platform_paused: 'the marketplace paused the account',
  'rejected.fraud': 'Stripe rejected the account for suspected fraud',
  'rejected.incomplete_verification':
    'Stripe rejected the account because verification could not be completed',
  'rejected.listed': 'Stripe rejected the account because it matched a restricted-persons list',
  'rejected.other': 'Stripe rejected the account',
  'rejected.platform_fraud': 'the marketplace rejected the account for suspected fraud',
  'rejected.platform_other': 'the marketplace rejected the account',
  'rejected.platform_terms_of_service': "the marketplace rejected the account under the marketplace's terms",
  'rejected.terms_of_service': "Stripe rejected the account under Stripe's terms of service",
  'requirements.past_due': 'information Stripe asked for is overdue',
  'requirements.pending_verification': 'Stripe is verifying the information you gave',
  under_review: 'Stripe is reviewing the account',
};

/** Reasons only Stripe can lift: the seller waits. */
const reviewReasons = new Set(['requirements.pending_verification', 'under_review', 'listed']);
/** Reasons the seller lifts by giving Stripe what it asks for in onboarding. */
const onboardingReasons = new Set(['requirements.past_due', 'action_required.requested_capabilities']);

/** Stripe's requirement names in plain words, each said once. */
export function describeRequirements(requirements: readonly string[]): string[] {
  const words = requirements.map(
    (name) => requirementWords.find(([prefix]) => name.startsWith(prefix))?.[1] ?? name,
  );
  return [...new Set(words)];
}

function capabilitySentence(state: PaymentsAccountState): string {
  if (state.chargesEnabled && state.payoutsEnabled) return 'You can sell and be paid.';
  if (state.chargesEnabled) return 'You can sell, but Stripe holds your payouts.';
  return 'You cannot publish listings or be paid.';
}

/** What the seller can do with their payments account, and what to do next; undefined: no account yet. */
export function explainPaymentsAccount(state: PaymentsAccountState | undefined): PaymentsAccountExplanation {
  if (!state) {
    return {
      nextStep: 'start-onboarding',
      missing: [],
      explanation: `You have not set up payments yet: ${onboardingLink}.`,
    };
  }
  const missing = describeRequirements(state.requirementsDue);
  const reason = state.disabledReason;
  const can = capabilitySentence(state);
  const advise = (nextStep: PaymentsNextStep, advice: string) => ({
    nextStep,
    missing,
    explanation: `${can} ${advice}`,
  });
  const reasonWords = reason === null ? '' : (disabledReasonWords[reason] ?? `Stripe: ${reason}`);
  const contactSupport = () =>
    advise('contact-support', `${reasonWords}; contact the marketplace's support.`);

  if (reason?.startsWith('rejected.')) return contactSupport();
  if (reason !== null && reviewReasons.has(reason)) {
    return advise('wait-for-stripe', `${reasonWords}: there is nothing to do until Stripe finishes.`);
  }
  if (missing.length > 0 || !state.detailsSubmitted || (reason !== null && onboardingReasons.has(reason))) {
    const needs = missing.length > 0 ? `Stripe still needs ${missing.join(', ')}. ` : '';
    return advise('finish-onboarding', `${needs}Finish onboarding with Stripe: ${onboardingLink}.`);
  }
  if (reason !== null) return contactSupport();
  if (!state.chargesEnabled || !state.payoutsEnabled) {
    return advise(
      'wait-for-stripe',
      'Stripe has your details and has not enabled everything yet: there is nothing to do until it does.',
    );
  }
  return advise('none', 'Stripe has enabled charges and payouts.');
}

export const paymentsAccountNotFound = () =>
  new DomainError(
    'not-found',
    'payments_account_not_found',
    `You have not set up payments yet: ${onboardingLink}.`,
  );

/** Publishing refused: Stripe has not enabled charges on the seller's account (or there is none). */
export const paymentsNotEnabled = (state: PaymentsAccountState | undefined) =>
  new DomainError(
    'conflict',
    'payments_not_enabled',
    `Publishing needs Stripe to enable charges on your payments account. ${explainPaymentsAccount(state).explanation}`,
  );
