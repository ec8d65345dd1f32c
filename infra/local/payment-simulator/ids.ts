import { randomBytes } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random letters and digits, like the tail of Stripe's object ids. */
export function randomToken(length: number): string {
  let token = '';
  for (const byte of randomBytes(length)) token += alphabet.charAt(byte % alphabet.length);
  return token;
}

/** A Stripe-style id: `pi_3Nv…`, `acct_1Nv…`. */
export const newId = (prefix: string, length = 24): string => `${prefix}_${randomToken(length)}`;
