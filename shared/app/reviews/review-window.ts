import type { Order } from '#shared/domain/order.ts';
import { reviewStore } from '../composition/stores/review-store.ts';
import { reviewWindowWorkflow } from '../composition/workflows.ts';
import { reviewSettings } from './review-settings.ts';

/**
 * Opens the completed order's review window, once, and starts its timer: an execution named by the
 * order, so a retry finds both in place. A window opened before keeps the close time it had.
 */
export async function openReviewWindow(order: Order, now = new Date()): Promise<void> {
  const closesAt = new Date(now.getTime() + reviewSettings().windowSeconds * 1000);
  const window = await reviewStore.openWindow({
    orderId: order.id,
    parties: order.parties,
    listingIds: [...new Set(order.lines.map((line) => line.listingId))],
    opensAt: now.toISOString(),
    closesAt: closesAt.toISOString(),
    status: 'open',
    reviewCount: 0,
  });
  await reviewWindowWorkflow.start(order.id, { orderId: order.id, closesAt: window.closesAt });
}
