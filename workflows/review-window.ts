import { fileURLToPath } from 'node:url';
import type { WorkflowDefinition } from './workflow.ts';

/**
 * The review-window state machine: one execution per completed order, named by the order's id,
 * started when the order completes. Its timer is the window's only clock: nothing scans for
 * windows to close.
 */
export const reviewWindow = {
  name: 'review-window',
  definitionFile: fileURLToPath(new URL('review-window.asl.json', import.meta.url)),
  tasks: {
    CloseReviewWindow: {
      handler: 'reviews/workflow/close-review-window',
      callback: false,
      // The window and the order's reviews (a Query), then one transaction: the window closed, each
      // hidden review published, its copies put, and the rated users' and listings' sums added to.
      uses: { table: ['Query', 'UpdateItem', 'PutItem'] },
    },
  },
} as const satisfies WorkflowDefinition;
