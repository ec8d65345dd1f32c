import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws';
import { OpenSearchIndex } from './opensearch-index.ts';
import { type OpenSearchRequests, openSearchTransport } from './transport.ts';

/**
 * Requests to the domain signed with SigV4 (service `es`) with the credentials of the default chain
 * (the Lambda execution role). `OPENSEARCH_ENDPOINT` may be a URL or, as CloudFormation gives a domain
 * endpoint, a bare host name, reached over HTTPS.
 */
export function createOpenSearchRequests(env: NodeJS.ProcessEnv = process.env): OpenSearchRequests {
  const endpoint = required(env, 'OPENSEARCH_ENDPOINT');
  return openSearchTransport({
    node: /^https?:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`,
    signer: AwsSigv4Signer({
      region: required(env, 'AWS_REGION'),
      service: 'es',
      getCredentials: defaultProvider(),
    }),
  });
}

export const searchIndexName = (env: NodeJS.ProcessEnv = process.env) => env.SEARCH_INDEX || 'listings';

export function createOpenSearchIndex(env: NodeJS.ProcessEnv = process.env): OpenSearchIndex {
  return new OpenSearchIndex(createOpenSearchRequests(env), searchIndexName(env));
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
