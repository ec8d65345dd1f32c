import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { Client } from '@opensearch-project/opensearch';
import { OpenSearchIndex } from './opensearch-index.ts';

/**
 * An OpenSearch client signing every request with SigV4 (service `es`) with the credentials of the
 * default chain (the Lambda execution role). `OPENSEARCH_ENDPOINT` may be a URL or, as CloudFormation
 * gives a domain endpoint, a bare host name, reached over HTTPS. The client library is loaded here,
 * at the first search or write, not when the function starts.
 */
export async function createOpenSearchClient(env: NodeJS.ProcessEnv = process.env): Promise<Client> {
  const endpoint = required(env, 'OPENSEARCH_ENDPOINT');
  const region = required(env, 'AWS_REGION');
  const [{ Client }, { AwsSigv4Signer }] = await Promise.all([
    import('@opensearch-project/opensearch'),
    import('@opensearch-project/opensearch/aws'),
  ]);
  return new Client({
    node: /^https?:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`,
    ...AwsSigv4Signer({ region, service: 'es', getCredentials: defaultProvider() }),
  });
}

export const searchIndexName = (env: NodeJS.ProcessEnv = process.env) => env.SEARCH_INDEX || 'listings';

export async function createOpenSearchIndex(env: NodeJS.ProcessEnv = process.env): Promise<OpenSearchIndex> {
  return new OpenSearchIndex(await createOpenSearchClient(env), searchIndexName(env));
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
