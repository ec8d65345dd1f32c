import { reviewStore } from '#shared/app/composition/stores/review-store.ts';
import { logger } from '#shared/logger.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { reviewWindow } from '#workflows/review-window.ts';

/** The window's time is up: every review still hidden is published, and no more are taken. */
export const handler = taskHandler(
  reviewWindow.tasks.CloseReviewWindow,
  async ({ orderId }: { orderId: string }) => {
    const published = await reviewStore.closeWindow(orderId);
    logger.info('review window closed', { published: published.length });
  },
);
