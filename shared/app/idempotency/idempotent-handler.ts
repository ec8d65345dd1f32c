import type { Role } from '#shared/domain/caller.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { routeEntryPoint } from '#shared/http/handler.ts';
import type { HttpResult, RouteSpec, ValidRequest } from '#shared/http/route.ts';
import type { TransactItem } from '#shared/store/conditional.ts';
import { IdempotencyKeyTaken } from '#shared/store/idempotency-records.ts';
import { idempotencyRecordStore } from '../composition/stores/idempotency-record-store.ts';
import { requestFingerprint } from './request-fingerprint.ts';

/** A route declared `idempotent`, for signed-in callers, with the Idempotency-Key header. */
export type IdempotentRoute = RouteSpec & { readonly idempotent: true; readonly access: readonly Role[] };

/** What the handler of an idempotent route is told about its key. */
export interface IdempotentRequest {
  readonly key: string;
  /** The request as the key is bound to it: a resource made by it may keep this to refuse look-alikes. */
  readonly fingerprint: string;
  /**
   * The resource an earlier request with this key claimed, which may be half made (it died, or is
   * still running): go on with it, never make another.
   */
  readonly resumes?: string;
  /** The key's claim for `resourceId`, to write in the transaction that makes the resource. */
  claim(resourceId: string): TransactItem;
}

/** Tries of a request whose claim lost to a concurrent one: the next try answers as the winner does. */
const maxClaimAttempts = 3;

const keyReused = () =>
  new DomainError(
    'unprocessable',
    'idempotency_key_reused',
    'This Idempotency-Key was used for another request; use a new key for a new request.',
  );

/**
 * The entry point of an idempotent route. The first request with a key claims it with the resource
 * it makes, in the same transaction, and its successful response is kept for a day: a retry with
 * the same request answers exactly that, marked `idempotent-replayed`, and the same key with
 * another request is 422. A retry that finds the key claimed but no response (the first died, or
 * runs still) goes on with the claimed resource, so both converge on one result. Errors are not
 * kept: a refused request may be retried with its key.
 */
export function idempotentHandler<R extends IdempotentRoute>(
  route: R,
  handle: (request: ValidRequest<R>, idempotency: IdempotentRequest) => Promise<HttpResult>,
) {
  return routeEntryPoint(route, async (request) => {
    const userId = (request.caller as { readonly userId: string }).userId;
    const key = (request.headers as { readonly 'idempotency-key': string })['idempotency-key'];
    const fingerprint = requestFingerprint(route, request);
    for (let attempt = 1; ; attempt++) {
      const now = new Date();
      const record = await idempotencyRecordStore.get(userId, key, now);
      if (record && record.fingerprint !== fingerprint) throw keyReused();
      if (record?.response) {
        const { status, body, headers } = record.response;
        return { status, body, headers: { ...headers, 'idempotent-replayed': 'true' } };
      }
      try {
        const result = await handle(request, {
          key,
          fingerprint,
          ...(record ? { resumes: record.resourceId } : {}),
          claim: (resourceId) => idempotencyRecordStore.claim({ userId, key, fingerprint, resourceId, now }),
        });
        if (result.status < 300) {
          await idempotencyRecordStore.saveResponse({ userId, key, fingerprint, response: result, now });
        }
        return result;
      } catch (error) {
        if (error instanceof IdempotencyKeyTaken && attempt < maxClaimAttempts) continue;
        throw error;
      }
    }
  });
}
