import * as z from 'zod';
import { deferred } from '#shared/deferred-schema.ts';
import { listingStatuses, providerProblems } from '#shared/domain/listing.ts';
import { currencyCodes, maxAmount } from '#shared/domain/money.ts';
import { processCatalog, processIds } from '#shared/domain/processes.ts';
import { providerConsents } from '#shared/domain/provider-consent.ts';
import { component } from '#shared/http/component.ts';
import { pageOf, pageQueryOf } from '#shared/http/pagination.ts';

export const currencySchema = deferred(() =>
  z.enum(currencyCodes, { error: 'must be an ISO 4217 currency code in upper case, e.g. EUR' }),
);

export const moneySchema = component('Money', () =>
  z
    .strictObject({
      amount: z.number().int('must be an integer number of minor units (cents)').min(0).max(maxAmount),
      currency: currencySchema,
    })
    .meta({ description: 'An amount in the minor unit of an ISO 4217 currency.' }),
);

export const listingId = deferred(() => z.uuid().meta({ description: 'Listing id' }));

export const listingParams = deferred(() => z.strictObject({ listingId }));

export const categorySchema = deferred(() =>
  z
    .string()
    .regex(
      /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*)*$/,
      'must be a lower-case slug path, e.g. home/lamps',
    )
    .max(100),
);

export const attributeNameSchema = deferred(() =>
  z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'attribute names are lower-case identifiers'),
);

const listingContent = () => ({
  title: z.string().trim().min(1).max(200),
  description: z.string().max(5000),
  category: categorySchema,
  price: moneySchema,
  stock: z.number().int().min(0).max(1_000_000),
  maxPerOrder: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .optional()
    .meta({ description: 'The most one checkout may buy; no limit but the stock when absent.' }),
  attributes: z
    .record(attributeNameSchema, z.string().max(200))
    .refine((attributes) => Object.keys(attributes).length <= 50, 'at most 50 attributes'),
  images: z.array(z.url({ protocol: /^https$/ })).max(20),
  process: z.enum(processIds).meta({ description: 'The transaction process orders of this listing follow.' }),
  providers: z
    .array(
      z.strictObject({
        party: z.string().max(40).meta({ description: 'A provider the process names, e.g. designer' }),
        userId: z.string().min(1).max(128),
        shareBps: z.number().int().min(0).max(10_000).meta({ description: 'Share of the proceeds' }),
      }),
    )
    .max(5),
});

type ListingProviders = z.infer<ReturnType<typeof listingContent>['providers']>;

/** A listing must name exactly the providers its process needs. */
function checkProviders(
  listing: { process?: string; providers?: ListingProviders },
  context: z.RefinementCtx,
) {
  const process = processCatalog.get(listing.process ?? '');
  if (!process || !listing.providers) return;
  for (const message of providerProblems(process, listing.providers)) {
    context.addIssue({ code: 'custom', path: ['providers'], message });
  }
}

export const createListingBody = component('NewListing', () => {
  const content = listingContent();
  return z
    .strictObject({
      ...content,
      description: content.description.default(''),
      attributes: content.attributes.default({}),
      images: content.images.default([]),
      process: content.process.default('default-purchase'),
      providers: content.providers.default([]),
    })
    .superRefine(checkProviders);
});

export const updateListingBody = component('ListingChanges', () =>
  z
    .strictObject(listingContent())
    .partial()
    .refine((changes) => Object.keys(changes).length > 0, 'name at least one field to change')
    .refine(
      (changes) => (changes.process === undefined) === (changes.providers === undefined),
      'change process and providers together',
    )
    .superRefine(checkProviders),
);

const consentSchema = () =>
  z.enum(providerConsents).meta({
    description: 'Whether the provider accepted their part; the listing is published only once all have',
  });

export const listingView = component('Listing', () =>
  z.object({
    id: z.string(),
    sellerId: z.string(),
    status: z.enum(listingStatuses),
    ...listingContent(),
    providers: z.array(
      z.object({
        party: z.string(),
        userId: z.string(),
        shareBps: z.number().int(),
        consent: consentSchema(),
      }),
    ),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    publishedAt: z.iso.datetime().optional(),
    moderation: z
      .object({
        verdict: z.enum(['approve', 'reject']),
        by: z.string(),
        at: z.iso.datetime(),
        reason: z.string().optional(),
      })
      .optional()
      .meta({ description: "The last moderation decision: a rejection's reason says what to fix" }),
    removal: z
      .object({ by: z.string(), at: z.iso.datetime(), reportId: z.string(), note: z.string() })
      .optional()
      .meta({ description: 'An admin removed the listing after a report: it cannot be published again' }),
    sellerSuspended: z.boolean().optional().meta({
      description: 'You are suspended: the listing is off the marketplace until you are reinstated',
    }),
    rating: z
      .object({
        average: z.number().meta({ description: 'Rounded to two decimals' }),
        count: z.number().int(),
      })
      .optional()
      .meta({ description: "From the published reviews of the listing's orders; absent until the first" }),
  }),
);

/** A listing as anyone sees it: who provides what, but not for which share of the proceeds. */
export const publicListingView = component('PublicListing', () =>
  listingView
    .unwrap()
    .omit({ sellerSuspended: true, removal: true, moderation: true })
    .extend({
      providers: z.array(
        z.object({
          party: z.string(),
          sellerId: z.string().meta({ description: 'Their public profile is GET /sellers/{sellerId}' }),
        }),
      ),
    }),
);

export const listingPage = pageOf(listingView, 'ListingPage');

export const pageQuery = deferred(() => pageQueryOf('listing'));

export const invitationParams = deferred(() =>
  z.strictObject({
    listingId,
    party: z
      .string()
      .regex(/^[a-z0-9-]{1,40}$/, "must be a party of the listing's process, e.g. designer")
      .meta({ description: 'The part you are invited to play, e.g. designer' }),
  }),
);

export const invitationView = component('ProviderInvitation', () =>
  z.object({
    listingId: z.string(),
    party: z.string(),
    userId: z.string().meta({ description: 'You, the provider invited' }),
    sellerId: z.string().meta({ description: 'The seller who named you' }),
    shareBps: z.number().int().meta({ description: 'Your share of the proceeds, in basis points' }),
    listing: z
      .object({ title: z.string(), category: z.string(), price: moneySchema })
      .meta({ description: 'The listing as it was when you were named' }),
    consent: consentSchema(),
    invitedAt: z.iso.datetime(),
    decidedAt: z.iso.datetime().optional(),
  }),
);

export const invitationPage = pageOf(invitationView, 'ProviderInvitationPage');

export const invitationQuery = deferred(() => pageQueryOf('invitation'));
