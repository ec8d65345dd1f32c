import { DomainError } from './errors.ts';

export interface SellerProfileContent {
  readonly displayName: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  /** ISO 4217. */
  readonly defaultCurrency: string;
}

export interface SellerProfile extends SellerProfileContent {
  readonly sellerId: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const sellerProfileNotFound = () =>
  new DomainError(
    'not-found',
    'seller_profile_not_found',
    'You have no seller profile yet: PUT /sellers/me creates it.',
  );

/** `action` needs a seller profile, e.g. `publishing listings`. */
export const sellerProfileRequired = (action: string) =>
  new DomainError(
    'conflict',
    'seller_profile_required',
    `Create your seller profile (PUT /sellers/me) before ${action}.`,
  );
