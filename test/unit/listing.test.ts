import { describe, expect, it } from 'vitest';
import { isPubliclyVisible, listingStatuses, listingTransitions } from '#shared/domain/listing.ts';

describe('listing lifecycle', () => {
  it('publishes drafts and unpublished listings, and unpublishes published ones and those in review', () => {
    expect(listingTransitions.publish).toEqual({ from: ['draft', 'unpublished'], to: 'published' });
    expect(listingTransitions.unpublish).toEqual({
      from: ['published', 'pending-review'],
      to: 'unpublished',
    });
  });

  it('shows only published listings of sellers in good standing to the public', () => {
    expect(listingStatuses.filter((status) => isPubliclyVisible({ status }))).toEqual(['published']);
    expect(isPubliclyVisible({ status: 'published', sellerSuspended: true })).toBe(false);
  });
});
