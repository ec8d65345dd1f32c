import * as z from 'zod';
import type { fieldSpecSchema, processSchema } from './process-schema.ts';

/**
 * A transaction process: the steps an order goes through after the buyer's payment is authorised.
 * Processes are data (process-schema.ts says what a valid one is); the one order-fulfillment state
 * machine runs any of them.
 */

/** The parties every order has; processes may add providers named on the listing. */
export const fixedParties = ['buyer', 'seller', 'admin'] as const;

/** Step Functions executions last at most a year; no single wait may come near it. */
export const maxWaitSeconds = 90 * 24 * 60 * 60;

/** How long a card authorisation lasts unless the provider says otherwise. */
export const authorisationLifetimeSeconds = 7 * 24 * 60 * 60;

/** Kept back from an authorisation's end, so a capture that is retried still lands in time. */
export const captureMarginSeconds = 24 * 60 * 60;

/** How long after its authorisation a payment is captured at the latest. */
export const captureWindowSeconds = authorisationLifetimeSeconds - captureMarginSeconds;

export type ProcessDefinition = z.output<typeof processSchema>;
export type ProcessStep = ProcessDefinition['steps'][number];
export type ProcessAction = ProcessStep['actions'][number];
export type FieldSpec = z.output<typeof fieldSpecSchema>;

/** The zod schema of the data an action or a checkout line carries. */
export function fieldsSchema(fields: Readonly<Record<string, FieldSpec>>) {
  return z
    .strictObject(
      Object.fromEntries(
        Object.entries(fields).map(([name, spec]) => {
          const value =
            spec.type === 'url' ? z.url({ protocol: /^https$/ }) : z.string().trim().min(1).max(500);
          return [name, spec.required ? value : value.optional()];
        }),
      ),
    )
    .pipe(z.record(z.string(), z.string()));
}
