import * as z from 'zod';
import {
  captureWindowSeconds,
  fixedParties,
  maxWaitSeconds,
  type ProcessDefinition,
} from './order-process.ts';

/**
 * What makes a transaction process valid. The shipped processes are written out whole (defaults
 * included) and checked against this by their tests, so no function parses them when it loads.
 */

const slug = z
  .string()
  .regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, 'must be a lower-case slug, e.g. accept-order')
  .max(40);

const fieldName = z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/, 'field names are camelCase identifiers');

const waitSeconds = z.number().int().min(1).max(maxWaitSeconds);

export const fieldSpecSchema = z.strictObject({
  type: z.enum(['text', 'url']),
  required: z.boolean().default(true),
});

const actionSchema = z.strictObject({
  name: slug,
  /** What the action does to the order: the next step, another step (`goTo`), done, or cancelled. */
  outcome: z.union([z.enum(['next-step', 'complete-order', 'cancel-order']), z.strictObject({ goTo: slug })]),
  /** Data the party sends with the action, e.g. a tracking number. */
  fields: z.record(fieldName, fieldSpecSchema).default({}),
});

const stepSchema = z.strictObject({
  name: slug,
  /** `buyer`, `seller`, `admin`, or one of the process's providers. */
  party: slug,
  actions: z.array(actionSchema).min(1).max(10),
  timeoutSeconds: waitSeconds,
  onTimeout: z.enum(['next-step', 'complete-order', 'cancel-order']),
  /**
   * A dispute step's (the admin's) response time per party: how long after the step's wait begins
   * that party may add statements and evidence. A party not named has until the step times out.
   */
  responseSeconds: z.record(slug, waitSeconds).optional(),
});

export const processSchema = z
  .strictObject({
    id: slug,
    version: z.number().int().min(1),
    title: z.string().min(1).max(100),
    /** Parties besides buyer, seller and admin, each named on the listing with a share of the proceeds. */
    providers: z.array(slug).max(5).default([]),
    /** Data the buyer supplies at checkout for each line of a listing using this process. */
    orderFields: z.record(fieldName, fieldSpecSchema).default({}),
    /** The payment is captured when the order leaves this step forwards. */
    captureAfter: slug,
    /** The step that ships the goods: the seller may refund the order until it has left it. */
    shipmentStep: slug.optional(),
    steps: z.array(stepSchema).min(1).max(20),
  })
  .superRefine((process, context) => {
    const issue = (path: (string | number)[], message: string) =>
      context.addIssue({ code: 'custom', path, message });
    const stepNames = process.steps.map((step) => step.name);
    const parties = new Set<string>([...fixedParties, ...process.providers]);
    for (const [index, provider] of process.providers.entries()) {
      if ((fixedParties as readonly string[]).includes(provider)) {
        issue(['providers', index], `${provider} is a party of every order, not a provider`);
      }
      if (process.providers.indexOf(provider) !== index) issue(['providers', index], 'is named twice');
    }
    if (!stepNames.includes(process.captureAfter)) {
      issue(['captureAfter'], `names no step of this process: ${process.captureAfter}`);
    } else {
      const longest = longestWaitBeforeCapture(process);
      if (longest > captureWindowSeconds) {
        issue(
          ['captureAfter'],
          Number.isFinite(longest)
            ? `the steps up to ${process.captureAfter} can last ${longest} s, longer than a payment stays authorised (${captureWindowSeconds} s)`
            : `the steps up to ${process.captureAfter} can repeat without end, longer than a payment stays authorised`,
        );
      }
    }
    if (process.shipmentStep !== undefined && !stepNames.includes(process.shipmentStep)) {
      issue(['shipmentStep'], `names no step of this process: ${process.shipmentStep}`);
    }
    for (const [stepIndex, step] of process.steps.entries()) {
      if (stepNames.indexOf(step.name) !== stepIndex) issue(['steps', stepIndex, 'name'], 'is used twice');
      if (!parties.has(step.party)) {
        issue(['steps', stepIndex, 'party'], `must be buyer, seller, admin or a provider: ${step.party}`);
      }
      for (const [party, seconds] of Object.entries(step.responseSeconds ?? {})) {
        const path = ['steps', stepIndex, 'responseSeconds', party];
        if (step.party !== 'admin')
          issue(path, 'only a dispute step (the admin decides) gives response times');
        if (party === 'admin' || !parties.has(party)) {
          issue(path, `must be buyer, seller or a provider of this process: ${party}`);
        }
        if (seconds > step.timeoutSeconds) {
          issue(path, `${seconds} s is longer than the step lasts (${step.timeoutSeconds} s)`);
        }
      }
      const actionNames = step.actions.map((action) => action.name);
      for (const [actionIndex, action] of step.actions.entries()) {
        const path = ['steps', stepIndex, 'actions', actionIndex];
        if (actionNames.indexOf(action.name) !== actionIndex) issue([...path, 'name'], 'is used twice');
        if (typeof action.outcome === 'object' && !stepNames.includes(action.outcome.goTo)) {
          issue([...path, 'outcome'], `names no step of this process: ${action.outcome.goTo}`);
        }
      }
    }
  });

/**
 * The longest an order can wait, step after step, between its payment's authorisation and leaving
 * the capture step forwards; Infinity when a step before the capture can come round again. Every
 * wait ends at its timeout at the latest, so this bounds the authorisation's age at capture.
 */
function longestWaitBeforeCapture(process: Pick<ProcessDefinition, 'steps' | 'captureAfter'>): number {
  const captureIndex = process.steps.findIndex((step) => step.name === process.captureAfter);
  const longestFrom = new Map<number, number>();
  const onPath = new Set<number>();
  const visit = (index: number): number => {
    const known = longestFrom.get(index);
    if (known !== undefined) return known;
    if (onPath.has(index)) return Number.POSITIVE_INFINITY;
    const step = process.steps[index];
    if (!step) return 0;
    onPath.add(index);
    const outcomes = [...step.actions.map((action) => action.outcome), step.onTimeout];
    const nextSteps = outcomes.flatMap((outcome) => {
      if (outcome === 'complete-order' || outcome === 'cancel-order') return [];
      const target =
        outcome === 'next-step' ? index + 1 : process.steps.findIndex((other) => other.name === outcome.goTo);
      return target >= 0 && target <= captureIndex ? [target] : [];
    });
    const longest = step.timeoutSeconds + Math.max(0, ...nextSteps.map(visit));
    onPath.delete(index);
    longestFrom.set(index, longest);
    return longest;
  };
  return visit(0);
}
