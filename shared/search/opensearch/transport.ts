import { EventEmitter } from 'node:events';
import type * as OpenSearch from '@opensearch-project/opensearch';
import type { AwsSigv4Signer } from '@opensearch-project/opensearch/aws';
import connectionModule from '@opensearch-project/opensearch/lib/Connection.js';
import { ConnectionPool } from '@opensearch-project/opensearch/lib/pool/index.js';
import serializerModule from '@opensearch-project/opensearch/lib/Serializer.js';
import transportModule, {
  type TransportRequestParams,
} from '@opensearch-project/opensearch/lib/Transport.js';

// The library declares each of these CommonJS modules as an ES module with a default export; Node and
// esbuild hand over `module.exports` itself, which is the class.
const Connection = connectionModule as unknown as typeof OpenSearch.Connection;
const Serializer = serializerModule as unknown as typeof OpenSearch.Serializer;
const Transport = transportModule as unknown as typeof OpenSearch.Transport;

/** The one call the search index makes: a REST request to the cluster, answering its parsed body. */
export interface OpenSearchRequests {
  request(params: TransportRequestParams): Promise<{ readonly body: unknown }>;
}

export interface OpenSearchTransportOptions {
  readonly node: string;
  /** Signs every request with SigV4 when given; without it requests go unsigned (tests). */
  readonly signer?: ReturnType<typeof AwsSigv4Signer>;
  readonly maxRetries?: number;
}

/**
 * The client library's transport (connection pool, retries on another connection, serialization, the
 * `ResponseError` carrying OpenSearch's error body) wired as its `Client` wires it, without `Client`
 * itself: `Client` carries a method for each of OpenSearch's hundreds of APIs, about 220 KiB of the
 * search functions' bundles, compiled at every cold start, for the six requests this index sends.
 */
export function openSearchTransport({
  node,
  signer,
  maxRetries = 3,
}: OpenSearchTransportOptions): OpenSearchRequests {
  const events = new EventEmitter();
  const emit = events.emit.bind(events);
  const connectionPool = new ConnectionPool({ emit, Connection: signer?.Connection ?? Connection });
  connectionPool.addConnection(node);
  const TransportClass = signer?.Transport ?? Transport;
  return new TransportClass({
    emit,
    connectionPool,
    serializer: new Serializer(),
    maxRetries,
    requestTimeout: 30_000,
    sniffEndpoint: '_nodes/_all/http',
    name: 'opensearch-js',
  });
}
