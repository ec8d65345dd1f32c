import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws';
import { OpenSearchIndex } from './opensearch-index.ts';

/**
 * An OpenSearch client signing every request with SigV4 (service `es`) with the credentials of the
 * default chain (the Lambda execution role). `OPENSEARCH_ENDPOINT` may be a URL or, as CloudFormation
 * gives a domain endpoint, a bare host name, reached over HTTPS.
 */
export function createOpenSearchClient(env: NodeJS.ProcessEnv = process.env): Client {
  const endpoint = required(env, 'OPENSEARCH_ENDPOINT');
  return new Client({
    node: /^https?:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`,
    ...AwsSigv4Signer({
      region: required(env, 'AWS_REGION'),
      service: 'es',
      getCredentials: defaultProvider(),
    }),
  });
}

export const searchIndexName = (env: NodeJS.ProcessEnv = process.env) => env.SEARCH_INDEX || 'listings';

export function createOpenSearchIndex(env: NodeJS.ProcessEnv = process.env): OpenSearchIndex {
  return new OpenSearchIndex(createOpenSearchClient(env), searchIndexName(env));
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
