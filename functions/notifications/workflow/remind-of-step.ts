import { notificationStore } from '#shared/app/composition/stores/notification-store.ts';
import { orderStore } from '#shared/app/composition/stores/order-store.ts';
import { type ReminderInput, reminderFor } from '#shared/app/notifications/reminders.ts';
import { logger } from '#shared/logger.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { stepReminder } from '#workflows/step-reminder.ts';

/** A step's reminder time has come: its party is reminded if the order still waits for them there. */
export const handler = taskHandler(stepReminder.tasks.RemindOfStep, async (input: ReminderInput) => {
  const reminder = reminderFor(await orderStore.get(input.orderId), input, new Date());
  if (!reminder) {
    logger.info('no reminder: the order no longer waits at that step', { orderId: input.orderId });
    return;
  }
  await notificationStore.remind(reminder);
});
