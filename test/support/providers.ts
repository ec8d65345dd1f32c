import type { TestApi } from './api.ts';
import { aliceProfile } from './fixtures.ts';

interface NamedProvider {
  readonly party: string;
  readonly userId: string;
}

function expectAnswer(answer: { status: number; body: unknown }, statuses: number[], what: string) {
  if (!statuses.includes(answer.status)) {
    throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}

/** Gives each provider a seller profile, as they would over HTTP, so that they can be named on a listing. */
export async function providersAreSellers(
  api: TestApi,
  providers: readonly Pick<NamedProvider, 'userId'>[],
): Promise<void> {
  for (const { userId } of providers) {
    const token = await api.token(userId, 'seller');
    // 201, or 409 for a provider who has a profile already.
    expectAnswer(await api.call('PUT', '/sellers/me', { token, body: aliceProfile }), [201, 409], userId);
  }
}

/** Each provider accepts their invitation to the listing, as they would over HTTP. */
export async function providersAccept(
  api: TestApi,
  listingId: string,
  providers: readonly NamedProvider[],
): Promise<void> {
  for (const { party, userId } of providers) {
    const token = await api.token(userId, 'seller');
    const path = `/sellers/me/invitations/${listingId}/${party}/accept`;
    expectAnswer(await api.call('POST', path, { token }), [200], `${userId} accepting`);
  }
}
