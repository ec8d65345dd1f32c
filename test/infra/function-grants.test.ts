import { beforeAll, describe, expect, it } from 'vitest';
import { readsCheckoutSettings } from '#infra/constructs/checkout-settings.ts';
import { readsEventLogSettings } from '#infra/constructs/event-log-settings.ts';
import { readsPayoutSettings } from '#infra/constructs/payout-settings.ts';
import { readsReviewSettings } from '#infra/constructs/review-settings.ts';
import {
  bundleDeployedFunctions,
  deployedFunctions,
  entryOf,
  type FunctionBundles,
} from '../support/deployed-functions.ts';

/** Stripe's composition root: it reads the Stripe secret, so a function bundling it needs the grant. */
const stripeModule = 'shared/app/composition/stripe.ts';
/** The item lists' composition root: it needs ITEM_LIST_BUCKET at load time, which the grant sets. */
const itemListsModule = 'shared/app/composition/item-lists.ts';
/** Reads the PAYOUT_* environment, which CDK sets on the functions that start payout runs only. */
const payoutSettingsModule = 'shared/app/payouts/payout-settings.ts';
const checkoutSettingsModule = 'shared/app/orders/checkout-settings.ts';
const reviewSettingsModule = 'shared/app/reviews/review-settings.ts';
const eventLogSettingsModule = 'shared/app/events/event-log-settings.ts';
/** The event archive's composition root: it needs EVENT_ARCHIVE_BUCKET at its first use, which the grant sets. */
const eventArchiveModule = 'shared/app/composition/event-archive.ts';

let bundles: FunctionBundles;

beforeAll(async () => {
  bundles = await bundleDeployedFunctions();
}, 60_000);

const bundleOf = (handler: string) => bundles.modulesOf(handler);
const importChain = (entry: string, target: string) => bundles.importChain(entry, target);

describe('Stripe grants', () => {
  it.each(deployedFunctions.map((fn) => [fn.name, fn] as const))(
    '%s declares uses.stripe exactly when its bundle loads shared/app/composition/stripe.ts',
    (_name, { handler, uses }) => {
      const entry = entryOf(handler);
      const loadsStripe = bundleOf(handler).has(stripeModule);
      const why = loadsStripe
        ? `${entry} loads Stripe (${importChain(entry, stripeModule).join(' -> ')}) without declaring uses.stripe: it would fail to read the Stripe secret`
        : `${entry} declares uses.stripe but never loads ${stripeModule}: drop the grant`;
      expect(uses.stripe === true, why).toBe(loadsStripe);
    },
  );
});

describe('item-list grants', () => {
  it.each(deployedFunctions.map((fn) => [fn.name, fn] as const))(
    '%s declares uses.itemLists exactly when its bundle loads shared/app/composition/item-lists.ts',
    (_name, { handler, uses }) => {
      const entry = entryOf(handler);
      const loadsItemLists = bundleOf(handler).has(itemListsModule);
      const why = loadsItemLists
        ? `${entry} loads item lists (${importChain(entry, itemListsModule).join(' -> ')}) without declaring uses.itemLists: it would find no ITEM_LIST_BUCKET`
        : `${entry} declares uses.itemLists but never loads ${itemListsModule}: drop the grant`;
      expect(uses.itemLists === 'write', why).toBe(loadsItemLists);
    },
  );
});

describe('event archive grants', () => {
  it.each(deployedFunctions.map((fn) => [fn.name, fn] as const))(
    '%s declares uses.eventArchive exactly when its bundle loads shared/app/composition/event-archive.ts',
    (_name, { handler, uses }) => {
      const entry = entryOf(handler);
      const loadsArchive = bundleOf(handler).has(eventArchiveModule);
      const why = loadsArchive
        ? `${entry} loads the event archive (${importChain(entry, eventArchiveModule).join(' -> ')}) without declaring uses.eventArchive: it would find no EVENT_ARCHIVE_BUCKET`
        : `${entry} declares uses.eventArchive but never loads ${eventArchiveModule}: drop the grant`;
      expect(uses.eventArchive !== undefined, why).toBe(loadsArchive);
    },
  );
});

describe.each([
  {
    declaration: 'payoutSettings',
    prefix: 'PAYOUT_',
    module: payoutSettingsModule,
    reads: readsPayoutSettings,
  },
  {
    declaration: 'checkoutSettings',
    prefix: 'CHECKOUT_',
    module: checkoutSettingsModule,
    reads: readsCheckoutSettings,
  },
  {
    declaration: 'reviewSettings',
    prefix: 'REVIEW_',
    module: reviewSettingsModule,
    reads: readsReviewSettings,
  },
  {
    declaration: 'eventLogSettings',
    prefix: 'EVENT_LOG_',
    module: eventLogSettingsModule,
    reads: readsEventLogSettings,
  },
] as const)('operator settings: $declaration', ({ declaration, prefix, module, reads }) => {
  it.each(deployedFunctions.map((fn) => [fn.name, fn] as const))(
    `%s is given the ${prefix}* settings exactly when its bundle reads them`,
    (_name, { handler, uses }) => {
      const entry = entryOf(handler);
      const readsSettings = bundleOf(handler).has(module);
      const why = readsSettings
        ? `${entry} reads ${module} (${importChain(entry, module).join(' -> ')}) but does not declare uses.${declaration}, so CDK gives it no ${prefix}* settings: it would run on the defaults`
        : `${entry} declares uses.${declaration} but never reads ${module}`;
      expect(reads(uses), why).toBe(readsSettings);
    },
  );
});
