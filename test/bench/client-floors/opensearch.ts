import { createOpenSearchRequests } from '#shared/search/opensearch/client.ts';
import { handler as baseline } from '../bundle-baseline.ts';

/** The baseline with the OpenSearch transport and its SigV4 signer loaded, as the search functions load them. */
export const handler = async () => [await baseline(), createOpenSearchRequests.name];
