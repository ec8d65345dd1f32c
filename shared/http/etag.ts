import * as z from 'zod';
import { deferred } from '../deferred-schema.ts';
import { Problem, preconditionRequired } from './problem.ts';

/** Entity versions travel as strong ETags: version 3 is `"3"`. */
export function versionTag(version: number): string {
  return `"${version}"`;
}

export const ifMatchHeader = deferred(() =>
  z
    .string()
    .regex(/^(W\/)?"\d{1,15}"$/, 'must be the ETag of the version you read, e.g. "3"')
    .transform((tag) => ({
      weak: tag.startsWith('W/'),
      version: Number(tag.replace(/^W\//, '').slice(1, -1)),
    }))
    .optional(),
);

type IfMatch = z.infer<typeof ifMatchHeader>;

/** The version If-Match names, if any. RFC 9110 compares strong tags only: a weak one never matches. */
export function ifMatchVersion(ifMatch: IfMatch): number | undefined {
  if (ifMatch?.weak) {
    throw new Problem(
      412,
      'version_mismatch',
      'If-Match needs the strong ETag you read; a weak one never matches.',
    );
  }
  return ifMatch?.version;
}

export function requireIfMatch(ifMatch: IfMatch): number {
  const version = ifMatchVersion(ifMatch);
  if (version === undefined) {
    throw preconditionRequired('Send If-Match with the ETag of the version you read, so no update is lost.');
  }
  return version;
}
