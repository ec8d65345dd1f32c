import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { type Authorize, localAccount } from './authorization.ts';
import { AwsServiceError, accessKeyOf, type LocalEndpoint, serveLocally } from './json-protocol.ts';
import {
  compareKeys,
  defaultContentType,
  type ObjectMetadata,
  S3ObjectStore,
  type StoredObject,
} from './s3-object-store.ts';

export interface S3EndpointOptions {
  readonly authorize: Authorize;
  /** Where the buckets are kept, one directory each; buckets found there are served again. */
  readonly directory: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
}

export interface S3Endpoint extends LocalEndpoint {
  /** Creates the bucket unless it exists, as the stack's deployment would. */
  createBucket(name: string): Promise<void>;
}

interface S3Call {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly store: S3ObjectStore;
  readonly bucket: string;
  /** Empty for requests on the bucket itself. */
  readonly key: string;
  readonly query: URLSearchParams;
  /** Throws AccessDeniedException unless the signing function may perform `action` on `resource`. */
  readonly allow: (action: string, resource: string) => void;
}

interface Route {
  readonly run: (call: S3Call) => Promise<void>;
  /** The query parameters it understands; any other is refused rather than ignored. */
  readonly query: readonly string[];
}

const maximumListedKeys = 1000;
/** Request headers asking for what the local S3 does not do, refused rather than ignored. */
const unsupportedObjectHeaders = [
  'x-amz-copy-source',
  'x-amz-tagging',
  'range',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
];
const userMetadataPrefix = 'x-amz-meta-';

const bucketArn = (bucket: string) => `arn:${localAccount.partition}:s3:::${bucket}`;
const objectArn = (bucket: string, key: string) => `${bucketArn(bucket)}/${key}`;
const quoted = (etag: string) => `"${etag}"`;

const notImplemented = (what: string) =>
  new AwsServiceError('NotImplemented', `The local S3 endpoint does not implement ${what}`, 501);
const incompleteBody = () =>
  new AwsServiceError('IncompleteBody', 'The request body terminated unexpectedly', 400);
const invalidArgument = (message: string) => new AwsServiceError('InvalidArgument', message, 400);

const xmlText = (value: string) => value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
const element = (name: string, value: string | number | boolean) =>
  `<${name}>${xmlText(String(value))}</${name}>`;
const xmlDocument = (...elements: string[]) => `<?xml version="1.0" encoding="UTF-8"?>\n${elements.join('')}`;

/**
 * The payload of an `aws-chunked` body, as the SDK sends streams: chunks framed as
 * `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n`, ended by an empty chunk and trailing checksums,
 * which are not verified.
 */
function decodeAwsChunked(framed: Buffer, decodedLength: number): Buffer {
  const chunks: Buffer[] = [];
  for (let offset = 0; ; ) {
    const lineEnd = framed.indexOf('\r\n', offset);
    const sizeField = lineEnd < 0 ? '' : (framed.toString('latin1', offset, lineEnd).split(';')[0] ?? '');
    const size = /^[0-9a-f]+$/i.test(sizeField) ? Number.parseInt(sizeField, 16) : Number.NaN;
    const start = lineEnd + 2;
    if (Number.isNaN(size) || start + size > framed.length) throw incompleteBody();
    if (size === 0) break;
    chunks.push(framed.subarray(start, start + size));
    offset = start + size + 2;
  }
  const payload = Buffer.concat(chunks);
  if (payload.length !== decodedLength) throw incompleteBody();
  return payload;
}

async function objectBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const payloadHash = request.headers['x-amz-content-sha256'];
  const isChunked = typeof payloadHash === 'string' && payloadHash.startsWith('STREAMING-');
  return isChunked ? decodeAwsChunked(body, Number(request.headers['x-amz-decoded-content-length'])) : body;
}

function metadataOf(headers: IncomingHttpHeaders): ObjectMetadata {
  const userMetadata = Object.entries(headers).flatMap(([name, value]) =>
    name.startsWith(userMetadataPrefix) && typeof value === 'string'
      ? [[name.slice(userMetadataPrefix.length), value] as const]
      : [],
  );
  return {
    contentType: headers['content-type'] ?? defaultContentType,
    userMetadata: Object.fromEntries(userMetadata),
  };
}

function objectHeaders(object: StoredObject): Record<string, string> {
  const userMetadata = Object.entries(object.userMetadata).map(([name, value]) => [
    `${userMetadataPrefix}${name}`,
    value,
  ]);
  return {
    'content-type': object.contentType,
    'content-length': String(object.size),
    etag: quoted(object.etag),
    'last-modified': object.lastModified.toUTCString(),
    ...Object.fromEntries(userMetadata),
  };
}

async function requireBucket({ store, bucket }: S3Call): Promise<void> {
  if (!(await store.hasBucket(bucket))) {
    throw new AwsServiceError('NoSuchBucket', 'The specified bucket does not exist', 404);
  }
}

/** Like S3, a caller that may not list the bucket is told AccessDenied rather than that the key is missing. */
function missingObject(call: S3Call): never {
  call.allow('s3:ListBucket', bucketArn(call.bucket));
  throw new AwsServiceError('NoSuchKey', 'The specified key does not exist.', 404);
}

async function putObject(call: S3Call): Promise<void> {
  call.allow('s3:PutObject', objectArn(call.bucket, call.key));
  await requireBucket(call);
  const body = await objectBody(call.request);
  const stored = await call.store.put(call.bucket, call.key, body, metadataOf(call.request.headers));
  call.response.writeHead(200, { etag: quoted(stored.etag) }).end();
}

async function getObject(call: S3Call): Promise<void> {
  call.allow('s3:GetObject', objectArn(call.bucket, call.key));
  await requireBucket(call);
  const found = await call.store.get(call.bucket, call.key);
  if (!found) missingObject(call);
  call.response.writeHead(200, objectHeaders(found.object));
  await pipeline(found.content, call.response);
}

async function headObject(call: S3Call): Promise<void> {
  call.allow('s3:GetObject', objectArn(call.bucket, call.key));
  await requireBucket(call);
  const object = await call.store.head(call.bucket, call.key);
  if (!object) missingObject(call);
  call.response.writeHead(200, objectHeaders(object)).end();
}

async function deleteObject(call: S3Call): Promise<void> {
  call.allow('s3:DeleteObject', objectArn(call.bucket, call.key));
  await requireBucket(call);
  await call.store.delete(call.bucket, call.key);
  call.response.writeHead(204).end();
}

async function headBucket(call: S3Call): Promise<void> {
  call.allow('s3:ListBucket', bucketArn(call.bucket));
  await requireBucket(call);
  call.response.writeHead(200, { 'x-amz-bucket-region': localAccount.region }).end();
}

interface PageRequest {
  readonly prefix: string;
  readonly delimiter: string;
  readonly startAfter: string;
  /** The last key or common prefix of the previous page, which the continuation token carries. */
  readonly after: string;
  readonly maxKeys: number;
}

/** One page of ListObjectsV2 over the bucket's sorted keys, common prefixes rolled up and counted as S3 does. */
function listPage(
  sortedKeys: readonly string[],
  { prefix, delimiter, startAfter, after, maxKeys }: PageRequest,
) {
  const keys: string[] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  let truncated = false;
  for (const key of sortedKeys) {
    if (!key.startsWith(prefix) || compareKeys(key, startAfter) <= 0) continue;
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const item = cut < 0 ? key : key.slice(0, cut + delimiter.length);
    if (item === last || (after && compareKeys(item, after) <= 0)) continue;
    if (keys.length + commonPrefixes.length === maxKeys) {
      truncated = true;
      break;
    }
    (cut < 0 ? keys : commonPrefixes).push(item);
    last = item;
  }
  return { keys, commonPrefixes, truncated, last };
}

function maxKeysOf(value: string | null): number {
  const maxKeys = value === null ? maximumListedKeys : Number(value);
  if (!Number.isInteger(maxKeys) || maxKeys < 0)
    throw invalidArgument('max-keys must be a non-negative integer');
  return Math.min(maxKeys, maximumListedKeys);
}

async function listObjects(call: S3Call): Promise<void> {
  const { query, store, bucket } = call;
  if (query.get('list-type') !== '2') throw notImplemented('ListObjects (version 1); use ListObjectsV2');
  call.allow('s3:ListBucket', bucketArn(bucket));
  await requireBucket(call);
  const continuationToken = query.get('continuation-token');
  const request: PageRequest = {
    prefix: query.get('prefix') ?? '',
    delimiter: query.get('delimiter') ?? '',
    startAfter: query.get('start-after') ?? '',
    after: continuationToken === null ? '' : Buffer.from(continuationToken, 'base64url').toString('utf8'),
    maxKeys: maxKeysOf(query.get('max-keys')),
  };
  const page = listPage(await store.keys(bucket), request);
  const described = await Promise.all(page.keys.map((key) => store.head(bucket, key)));
  const objects = described.filter((object) => object !== undefined);
  const optional = (name: string, value: string | null | undefined) => (value ? [element(name, value)] : []);
  const body = xmlDocument(
    '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
    element('Name', bucket),
    element('Prefix', request.prefix),
    ...optional('Delimiter', request.delimiter),
    ...optional('StartAfter', request.startAfter),
    ...optional('ContinuationToken', continuationToken),
    ...optional(
      'NextContinuationToken',
      page.truncated ? Buffer.from(page.last ?? '').toString('base64url') : '',
    ),
    element('MaxKeys', request.maxKeys),
    element('KeyCount', objects.length + page.commonPrefixes.length),
    element('IsTruncated', page.truncated),
    ...objects.map(
      (object) =>
        `<Contents>${element('Key', object.key)}${element('LastModified', object.lastModified.toISOString())}` +
        `${element('ETag', quoted(object.etag))}${element('Size', object.size)}${element('StorageClass', 'STANDARD')}</Contents>`,
    ),
    ...page.commonPrefixes.map(
      (commonPrefix) => `<CommonPrefixes>${element('Prefix', commonPrefix)}</CommonPrefixes>`,
    ),
    '</ListBucketResult>',
  );
  call.response.writeHead(200, { 'content-type': 'application/xml' }).end(body);
}

const objectRoutes: Readonly<Record<string, Route>> = {
  PUT: { run: putObject, query: ['x-id'] },
  GET: { run: getObject, query: ['x-id'] },
  HEAD: { run: headObject, query: ['x-id'] },
  DELETE: { run: deleteObject, query: ['x-id'] },
};
const bucketRoutes: Readonly<Record<string, Route>> = {
  GET: {
    run: listObjects,
    query: ['list-type', 'prefix', 'delimiter', 'start-after', 'continuation-token', 'max-keys'],
  },
  HEAD: { run: headBucket, query: [] },
};

/** Bucket and key of a path-style request, from the path as sent: `/<bucket>/../x` names the key `../x`. */
function target(rawUrl: string) {
  const queryStart = rawUrl.indexOf('?');
  const path = queryStart < 0 ? rawUrl : rawUrl.slice(0, queryStart);
  const [, bucket = '', ...keySegments] = path.split('/');
  try {
    return {
      bucket: decodeURIComponent(bucket),
      key: decodeURIComponent(keySegments.join('/')),
      query: new URLSearchParams(queryStart < 0 ? '' : rawUrl.slice(queryStart + 1)),
    };
  } catch {
    throw new AwsServiceError('InvalidURI', "Couldn't parse the specified URI.", 400);
  }
}

function routeOf(
  method: string,
  bucket: string,
  key: string,
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
) {
  const route = bucket ? (key ? objectRoutes : bucketRoutes)[method] : undefined;
  const what = `${method} ${key ? 'object' : bucket ? 'bucket' : 'service'} requests`;
  if (!route) throw notImplemented(what);
  const unsupported = [
    ...[...query.keys()].filter((name) => !route.query.includes(name)),
    ...(key ? unsupportedObjectHeaders.filter((name) => headers[name] !== undefined) : []),
  ];
  if (unsupported.length > 0) throw notImplemented(`${what} with ${unsupported.join(', ')}`);
  return route;
}

/** S3's code and status for an error: the authorizer's AccessDeniedException is S3's 403 AccessDenied. */
function s3ErrorOf(error: unknown): { code: string; message: string; status: number } {
  if (!(error instanceof AwsServiceError)) {
    return {
      code: 'InternalError',
      message: error instanceof Error ? error.message : String(error),
      status: 500,
    };
  }
  if (error.type === 'AccessDeniedException')
    return { code: 'AccessDenied', message: error.message, status: 403 };
  return { code: error.type, message: error.message, status: error.status };
}

function answerError(request: IncomingMessage, response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const { code, message, status } = s3ErrorOf(error);
  response.writeHead(status, { 'content-type': 'application/xml' });
  const body = xmlDocument(`<Error>${element('Code', code)}${element('Message', message)}</Error>`);
  response.end(request.method === 'HEAD' ? undefined : body);
}

/**
 * Amazon S3 for the functions' S3Client, over its REST protocol with path-style addressing (which
 * the SDK uses for an endpoint named by IP address): PutObject, GetObject, HeadObject, DeleteObject,
 * ListObjectsV2 and HeadBucket on buckets kept in `directory`, each call checked against the signing
 * function's grants on the bucket or object ARN. Whatever else is asked is refused with NotImplemented.
 */
export async function startS3Endpoint({
  authorize,
  directory,
  port = 0,
}: S3EndpointOptions): Promise<S3Endpoint> {
  const store = new S3ObjectStore(directory);
  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    const method = request.method ?? '';
    const { bucket, key, query } = target(request.url ?? '/');
    const route = routeOf(method, bucket, key, query, request.headers);
    const accessKeyId = accessKeyOf(request);
    const allow = (action: string, resource: string) => authorize(accessKeyId, action, resource);
    await route.run({ request, response, store, bucket, key, query, allow });
  };
  const endpoint = await serveLocally((request, response) => {
    serve(request, response).catch((error: unknown) => answerError(request, response, error));
  }, port);
  return { ...endpoint, createBucket: (name) => store.createBucket(name) };
}
