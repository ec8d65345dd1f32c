import { z } from 'zod';
import { preconditionRequired } from './problem.ts';

/** Entity versions travel as strong ETags: version 3 is `"3"`. */
export function versionTag(version: number): string {
  return `"${version}"`;
}

export const ifMatchHeader = z
  .string()
  .regex(/^(W\/)?"\d{1,15}"$/, 'must be the ETag of the version you read, e.g. "3"')
  .transform((tag) => Number(tag.replace(/^W\//, '').slice(1, -1)))
  .optional();

export function requireIfMatch(version: number | undefined): number {
  if (version === undefined) {
    throw preconditionRequired('Send If-Match with the ETag of the version you read, so no update is lost.');
  }
  return version;
}
