import type { Listing } from '../domain/listing.ts';
import type { TransactItem } from './conditional.ts';
import { listingKey } from './entities/listing.ts';

/** Stock taken for one cart line, at the price the buyer saw. */
export interface StockReservation {
  readonly listingId: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly currency: string;
}

/**
 * A transaction's update taking the reserved stock from the listing; fails (answering the listing
 * as it was) unless the listing is on sale at the price the buyer saw with enough stock.
 */
export function stockReservation(
  tableName: string,
  reservation: StockReservation,
  timestamp: string,
): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: listingKey(reservation.listingId),
      UpdateExpression: 'SET stock = stock - :quantity, version = version + :one, updatedAt = :now',
      ConditionExpression:
        'attribute_exists(PK) AND #status = :published AND attribute_not_exists(sellerSuspended) AND ' +
        'stock >= :quantity AND ' +
        'price.amount = :price AND price.currency = :currency',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':quantity': reservation.quantity,
        ':one': 1,
        ':now': timestamp,
        ':published': 'published',
        ':price': reservation.unitPrice,
        ':currency': reservation.currency,
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/** Why reserving the stock of a cart line failed, from its listing as it was. */
export function whyUnavailable(reservation: StockReservation, listing: Listing | undefined): string {
  if (listing?.status !== 'published' || listing.sellerSuspended) return 'the listing is not on sale';
  const { price } = listing;
  if (price.amount !== reservation.unitPrice || price.currency !== reservation.currency) {
    return `the price is now ${price.amount} ${price.currency}; check out again`;
  }
  return `only ${listing.stock} left, ${reservation.quantity} wanted`;
}

/** A transaction's update putting the quantity back in the listing's stock. */
export function stockRelease(
  tableName: string,
  listingId: string,
  quantity: number,
  now: Date,
): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: listingKey(listingId),
      UpdateExpression: 'SET stock = stock + :quantity, version = version + :one, updatedAt = :now',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':quantity': quantity, ':one': 1, ':now': now.toISOString() },
    },
  };
}
