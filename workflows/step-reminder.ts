import { fileURLToPath } from 'node:url';
import type { WorkflowDefinition } from './workflow.ts';

/**
 * The step-reminder state machine: one execution per order, step and deadline, started by the
 * notifier when the order begins to wait for a party. Its timer is the reminder's only clock.
 */
export const stepReminder = {
  name: 'step-reminder',
  definitionFile: fileURLToPath(new URL('step-reminder.asl.json', import.meta.url)),
  tasks: {
    RemindOfStep: {
      handler: 'notifications/workflow/remind-of-step',
      callback: false,
      // The order read; the reminder put once, its stream record becoming the event and the mail.
      uses: { table: ['GetItem', 'PutItem'] },
    },
  },
} as const satisfies WorkflowDefinition;
