import * as z from 'zod';
import { deferred } from '../deferred-schema.ts';
import { qualityActions } from '../domain/quality-rules.ts';
import { kpiNames } from '../domain/seller-kpis.ts';
import { component } from '../http/component.ts';

/**
 * Every event type the marketplace records, with the schema of its `data`: what changed. Each is a
 * component of the OpenAPI document, and every event read back from the log is decoded with it.
 */
const money = () => ({
  currency: z.string().length(3),
  amount: z.number().int().meta({ description: 'Minor units of the currency' }),
});

/** A step an order waits at: its name, place in the process, whose action it awaits and until when. */
const stepWait = () =>
  z.object({
    step: z.string(),
    stepIndex: z.number().int(),
    party: z.string().meta({ description: 'Whose action the step waits for' }),
    deadline: z.iso.datetime().meta({ description: 'When the step times out' }),
  });

/** A seller's quality KPI crossed a rule's warning level or limit (docs/design/seller-quality.md). */
const qualityCrossing = () =>
  z.object({
    sellerId: z.string(),
    kpi: z.enum(kpiNames),
    value: z.number().meta({ description: 'The KPI, in its unit (percent, seconds, stars)' }),
    threshold: z.number().meta({ description: 'The warning level or limit crossed' }),
    windowDays: z.number().int(),
    samples: z
      .number()
      .int()
      .meta({ description: 'The orders (reviews, for the rating) it was measured on' }),
  });

const eventData = {
  'order.placed': () =>
    z.object({
      buyerId: z.string(),
      sellerId: z.string(),
      process: z.string(),
      currency: z.string().length(3),
      total: z.number().int(),
    }),
  'order.step_changed': () => stepWait(),
  'order.step_due_soon': () => stepWait(),
  'order.completed': () => z.object({}),
  'order.cancelled': () => z.object({ reason: z.string() }),
  'payment.authorised': () => z.object(money()),
  'payment.captured': () => z.object(money()),
  'refund.succeeded': () => z.object({ refundId: z.string(), ...money(), reason: z.string().optional() }),
  'dispute.opened': () =>
    z.object({
      kind: z.enum(['marketplace', 'chargeback']).meta({
        description:
          "marketplace: the order entered its process's dispute step; chargeback: the card network's",
      }),
      step: z.string().optional(),
      reason: z.string().optional(),
      disputeId: z
        .string()
        .optional()
        .meta({ description: "The payment provider's dispute, for a chargeback" }),
    }),
  'dispute.closed': () =>
    z.object({
      kind: z.enum(['marketplace', 'chargeback']),
      outcome: z.string().meta({
        description:
          'chargeback: won or lost; marketplace: the settling action, or timed-out when the step ran out',
      }),
      refund: z.object(money()).optional(),
    }),
  'listing.published': () => z.object({ sellerId: z.string(), title: z.string() }),
  'payout.paid': () =>
    z.object({ runId: z.string(), sellerId: z.string(), ...money(), transferId: z.string().optional() }),
  'payout.failed': () =>
    z.object({ runId: z.string(), sellerId: z.string(), ...money(), code: z.string(), message: z.string() }),
  'payout_run.completed': () => z.object({ currency: z.string().length(3), dryRun: z.boolean() }),
  'user.suspended': () => z.object({ reason: z.string() }),
  'user.reinstated': () => z.object({}),
  'review.published': () =>
    z.object({ orderId: z.string(), authorId: z.string(), subjectId: z.string(), rating: z.number().int() }),
  'seller.quality_warning': () => qualityCrossing(),
  'seller.quality_limit_reached': () =>
    qualityCrossing().extend({
      action: z.enum(qualityActions).meta({ description: 'What reaching the limit did' }),
    }),
  'webhook_endpoint.disabled': () =>
    z.object({
      endpointId: z.string(),
      owner: z.string().meta({ description: 'platform (an admin endpoint), or the user it belongs to' }),
      url: z.string(),
      reason: z.string(),
    }),
} as const;

export type EventType = keyof typeof eventData;
export const eventTypes = Object.keys(eventData) as EventType[];
export type EventData<T extends EventType> = z.infer<ReturnType<(typeof eventData)[T]>>;

const subjectKinds = [
  'order',
  'listing',
  'payout',
  'payout_run',
  'user',
  'review',
  'webhook_endpoint',
] as const;

const actorSchema = () =>
  z
    .object({
      kind: z.enum(['user', 'admin', 'system']),
      id: z.string().optional().meta({ description: 'The user or admin; absent for the system' }),
      party: z.string().optional().meta({ description: "The user's party in the order" }),
      name: z
        .string()
        .optional()
        .meta({ description: 'Which part of the system: workflow, payments, payout-run, webhooks' }),
    })
    .meta({ description: 'Who made the change' });

export type EventActor = z.infer<ReturnType<typeof actorSchema>>;

const subjectSchema = () =>
  z
    .object({ kind: z.enum(subjectKinds), id: z.string() })
    .meta({ description: 'The aggregate that changed; its events are in the order of its changes' });

export type EventSubject = z.infer<ReturnType<typeof subjectSchema>>;

const componentName = (type: string) =>
  `${type
    .split(/[._]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')}Event`;

const eventOf = <T extends EventType>(type: T) =>
  z
    .object({
      id: z.string().meta({ description: 'evt_<position>: unique, the same on every channel' }),
      position: z.string().meta({ description: 'Its place in the feed: read on with `after=<position>`' }),
      type: z.literal(type),
      occurredAt: z.iso.datetime(),
      actor: actorSchema(),
      subject: subjectSchema(),
      data: eventData[type]() as ReturnType<(typeof eventData)[T]>,
    })
    .meta({ id: componentName(type) });

type EventSchema = { [T in EventType]: ReturnType<typeof eventOf<T>> }[EventType];

/** One recorded event, of any type; each type is a component of its own in the OpenAPI document. */
export const marketplaceEventSchema = component('MarketplaceEvent', () =>
  z.discriminatedUnion('type', eventTypes.map(eventOf) as [EventSchema, ...EventSchema[]]),
);

export type MarketplaceEvent = z.output<typeof marketplaceEventSchema>;

type WithoutPosition<E> = E extends MarketplaceEvent ? Omit<E, 'id' | 'position'> : never;

/** An event derived from a change, before the log gives it its position. */
export type EventDraft = WithoutPosition<MarketplaceEvent> & {
  /** The users (sellers and providers) whose own feed it goes to, besides the admins' one. */
  readonly audience: readonly string[];
};

/** Validates event type names given by a reader (`types=`). */
export const eventTypeSchema = deferred(() => z.enum(eventTypes as [EventType, ...EventType[]]));
