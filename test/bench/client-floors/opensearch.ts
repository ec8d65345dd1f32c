import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws';
import { handler as baseline } from '../bundle-baseline.ts';

/** The baseline with the OpenSearch client and its SigV4 signer loaded, as the search functions load them. */
export const handler = async () => [await baseline(), Client.name, AwsSigv4Signer.name];
