import { DomainError } from './errors.ts';

/** An admin's suspension of a user: their listings leave the marketplace, they cannot buy, their payouts wait. */
export interface UserSuspension {
  readonly userId: string;
  readonly reason: string;
  /** The admin who suspended them. */
  readonly by: string;
  readonly since: string;
  /** When the suspension placed the payout hold it lifts again at reinstatement; absent if one was in place. */
  readonly payoutHoldSince?: string;
}

/** What reinstating a user answers: the suspension lifted, and who lifted it, when and why. */
export interface LiftedSuspension extends UserSuspension {
  readonly reinstated: { readonly by: string; readonly at: string; readonly reason: string };
}

export const userSuspended = () =>
  new DomainError(
    'forbidden',
    'user_suspended',
    'Your account is suspended: you cannot do this until an admin reinstates it.',
  );

export const suspensionNotFound = (userId: string) =>
  new DomainError('not-found', 'suspension_not_found', `User ${userId} is not suspended.`);

export const selfSuspension = () =>
  new DomainError('forbidden', 'self_suspension', 'Admins cannot suspend themselves; ask another admin.');
