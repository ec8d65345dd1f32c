import { notificationSettings } from '#shared/app/notifications/notification-settings.ts';
import { scheduleReminder } from '#shared/app/notifications/reminders.ts';
import { awaitedStep } from '#shared/events/order-events.ts';
import { stepReminder } from '#workflows/step-reminder.ts';
import type { LocalRunnerOptions, LocalWorkflows } from './order-workflows.ts';
import { forEachScanned, unfinishedOrders } from './table-scans.ts';
import { WorkflowRunner } from './workflow-runner.ts';

/**
 * Runs the step-reminder ASL. Executions do not survive a restart here: the reminder of the step
 * each unfinished order waits at is started again, for the time it had, unless that has passed.
 */
export async function startReminderWorkflows(
  endpoint: string,
  tableName: string,
  runnerOptions: LocalRunnerOptions,
): Promise<LocalWorkflows> {
  const runner = await WorkflowRunner.create({ workflow: stepReminder, ...runnerOptions });
  return {
    name: stepReminder.name,
    runner,
    restartUnfinished: () =>
      forEachScanned(
        endpoint,
        (client) => unfinishedOrders(client, tableName),
        async (order) => {
          const awaited = awaitedStep(order);
          if (!awaited) return;
          const { step, stepIndex, deadline } = awaited;
          await scheduleReminder(
            order,
            { step: step.name, stepIndex, party: step.party, deadline },
            notificationSettings().reminderLeadSeconds,
            runner,
            new Date(),
          );
        },
      ),
    stop: () => runner.stop(),
  };
}
