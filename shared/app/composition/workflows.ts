import { onFirstUse } from '#shared/config/on-first-use.ts';
import { stepFunctionsWorkflow } from '#shared/workflows/step-functions.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import { payoutRun } from '#workflows/payout-run.ts';
import { reviewWindow } from '#workflows/review-window.ts';
import { stepReminder } from '#workflows/step-reminder.ts';

/** Composition root of the workflows, each made at its first use: a function holds the ARN only of the one it uses. */
export const orderWorkflow = onFirstUse(() => stepFunctionsWorkflow(orderFulfillment.name));

export const payoutWorkflow = onFirstUse(() => stepFunctionsWorkflow(payoutRun.name));

export const reviewWindowWorkflow = onFirstUse(() => stepFunctionsWorkflow(reviewWindow.name));

export const stepReminderWorkflow = onFirstUse(() => stepFunctionsWorkflow(stepReminder.name));
