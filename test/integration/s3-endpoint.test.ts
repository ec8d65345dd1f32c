import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Authorize, accessDenied } from '#infra/local/aws/authorization.ts';
import { type S3Endpoint, startS3Endpoint } from '#infra/local/aws/s3-endpoint.ts';
import { S3ItemLists } from '#shared/item-lists/s3.ts';

const writer = 'PayoutRunStartFunction';
/** May read objects but not list the bucket. */
const reader = 'PayoutTaskFunction';
const outsider = 'ReindexFunction';
const bucket = 'item-lists';

const checks: [string | undefined, string, string][] = [];
const authorize: Authorize = (accessKeyId, action, resource) => {
  checks.push([accessKeyId, action, resource]);
  const allowed = accessKeyId === writer || (accessKeyId === reader && action === 's3:GetObject');
  if (!allowed) throw accessDenied(accessKeyId, action, resource);
};

const clientFor = (accessKeyId: string, endpoint: string) =>
  new S3Client({ endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'local' } });

let directory: string;
let endpoint: S3Endpoint;
let client: S3Client;

const put = (key: string, body: string) =>
  client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
const read = async (key: string) =>
  (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString();
const filesUnder = (path: string) => readdir(path, { recursive: true });

/**
 * A GET sent with its path exactly as written, where fetch would resolve `..` segments first; the
 * endpoint reads the access key from the Authorization header and checks no signature.
 */
const rawGet = (path: string) =>
  new Promise<number | undefined>((resolve, reject) => {
    const { hostname, port } = new URL(endpoint.url);
    const authorization = `AWS4-HMAC-SHA256 Credential=${writer}/20261201/us-east-1/s3/aws4_request`;
    request({ hostname, port, path, method: 'GET', headers: { authorization } }, (response) => {
      response.resume();
      resolve(response.statusCode);
    })
      .on('error', reject)
      .end();
  });

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'local-s3-'));
  endpoint = await startS3Endpoint({ authorize, directory });
  await endpoint.createBucket(bucket);
  client = clientFor(writer, endpoint.url);
});

afterAll(async () => {
  await endpoint.stop();
  await rm(directory, { recursive: true, force: true });
});

beforeEach(() => {
  checks.length = 0;
});

describe('the local S3 endpoint, reached by the real S3Client', () => {
  it('stores an object and gives it back with its content type, metadata and ETag', async () => {
    const { ETag } = await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'payout-runs/2026-12-01/sellers.json',
        Body: '["seller-1"]',
        ContentType: 'application/json',
        Metadata: { run: '2026-12-01' },
      }),
    );
    const got = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'payout-runs/2026-12-01/sellers.json' }),
    );
    const head = await client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'payout-runs/2026-12-01/sellers.json' }),
    );

    expect(ETag).toBe(`"${createHash('md5').update('["seller-1"]').digest('hex')}"`);
    expect(await got.Body?.transformToString()).toBe('["seller-1"]');
    expect(got).toMatchObject({ ContentType: 'application/json', ETag, Metadata: { run: '2026-12-01' } });
    expect(head).toMatchObject({ ContentLength: 12, ETag, LastModified: expect.any(Date) });
    expect(checks).toEqual([
      [writer, 's3:PutObject', `arn:aws:s3:::${bucket}/payout-runs/2026-12-01/sellers.json`],
      [writer, 's3:GetObject', `arn:aws:s3:::${bucket}/payout-runs/2026-12-01/sellers.json`],
      [writer, 's3:GetObject', `arn:aws:s3:::${bucket}/payout-runs/2026-12-01/sellers.json`],
    ]);
  });

  it('serves the item lists the workflows write and read', async () => {
    const itemLists = new S3ItemLists(client, bucket);
    const location = await itemLists.write('payout-run/run-1.json', [
      { sellerId: 's-1' },
      { sellerId: 's-2' },
    ]);

    expect(await itemLists.read(location)).toEqual([{ sellerId: 's-1' }, { sellerId: 's-2' }]);
  });

  it('takes a streamed body, which the SDK sends aws-chunked with a trailing checksum', async () => {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'streamed.txt',
        Body: Readable.from([Buffer.from('hello '), Buffer.from('world')]),
        ContentLength: 11,
      }),
    );

    expect(await read('streamed.txt')).toBe('hello world');
  });

  it('keeps keys that differ only in case, spaces or script apart, and lists keys XML would choke on', async () => {
    const keys = ['Report.csv', 'report.csv', 'reports/Q4 summary.csv', 'reçus/€.txt', `marks/&<>"'+%.txt`];
    for (const key of keys) await put(key, `contents of ${key}`);
    const { Contents } = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'marks/' }));

    for (const key of keys) expect(await read(key)).toBe(`contents of ${key}`);
    expect(Contents?.map((object) => object.Key)).toEqual([`marks/&<>"'+%.txt`]);
  });

  it('lists keys under a prefix page by page, and rolls keys up to common prefixes at a delimiter', async () => {
    for (const key of ['listing/a/1', 'listing/a/2', 'listing/b', 'listing/c/1', 'listing/d'])
      await put(key, key);
    const pages = paginateListObjectsV2({ client, pageSize: 2 }, { Bucket: bucket, Prefix: 'listing/' });
    const listed: string[] = [];
    let pageCount = 0;
    for await (const page of pages) {
      pageCount += 1;
      listed.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
    }
    const rolledUp = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'listing/', Delimiter: '/', MaxKeys: 2 }),
    );
    const rest = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: 'listing/',
        Delimiter: '/',
        ContinuationToken: rolledUp.NextContinuationToken,
      }),
    );

    expect(listed).toEqual(['listing/a/1', 'listing/a/2', 'listing/b', 'listing/c/1', 'listing/d']);
    expect(pageCount).toBe(3);
    expect(rolledUp).toMatchObject({
      CommonPrefixes: [{ Prefix: 'listing/a/' }],
      Contents: [expect.objectContaining({ Key: 'listing/b', Size: 9 })],
      KeyCount: 2,
      IsTruncated: true,
    });
    expect(rest).toMatchObject({
      CommonPrefixes: [{ Prefix: 'listing/c/' }],
      Contents: [expect.objectContaining({ Key: 'listing/d' })],
      IsTruncated: false,
    });
  });

  it('deletes an object; reading it then throws NoSuchKey, and heading it NotFound', async () => {
    await put('to-delete.json', '{}');
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'to-delete.json' }));

    await expect(read('to-delete.json')).rejects.toBeInstanceOf(NoSuchKey);
    await expect(
      client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'to-delete.json' })),
    ).rejects.toMatchObject({
      name: 'NotFound',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(
      client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'to-delete.json' })),
    ).resolves.toBeDefined();
  });

  it('keeps keys with ../ segments inside the bucket directory', async () => {
    await writeFile(join(directory, 'outside.txt'), 'not an object');
    await put('../outside.txt', 'inside the bucket');
    await put('../../../escaped.txt', 'inside the bucket too');

    expect(await read('../outside.txt')).toBe('inside the bucket');
    expect(
      (await filesUnder(directory)).filter((path) => !path.startsWith(`${bucket}/`) && path !== bucket),
    ).toEqual(['outside.txt']);
    await expect(read('../../outside.txt')).rejects.toBeInstanceOf(NoSuchKey);
    expect(await rawGet(`/${bucket}/../../outside.txt`)).toBe(404);
    expect(await rawGet('/../outside.txt')).toBe(404);
    expect(await rawGet('/%2E%2E/outside.txt')).toBe(404);
  });

  it('answers NoSuchBucket for a bucket it does not keep, and HeadBucket for one it does', async () => {
    await expect(client.send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();
    await expect(
      client.send(new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'k', Body: 'x' })),
    ).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('serves the objects it kept after a restart', async () => {
    await put('kept.json', '[1,2,3]');
    await endpoint.stop();
    endpoint = await startS3Endpoint({ authorize, directory });
    client = clientFor(writer, endpoint.url);

    expect(await read('kept.json')).toBe('[1,2,3]');
  });

  it('refuses a function without the grant with AccessDenied, as S3 does', async () => {
    const denied = clientFor(outsider, endpoint.url).send(
      new PutObjectCommand({ Bucket: bucket, Key: 'not-allowed.json', Body: '{}' }),
    );

    await expect(denied).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
      message: expect.stringContaining(`${outsider} is not authorized to perform: s3:PutObject`),
    });
    await expect(read('not-allowed.json')).rejects.toBeInstanceOf(NoSuchKey);
  });

  it('tells a reader that may not list the bucket AccessDenied rather than NoSuchKey for a missing key', async () => {
    await put('readable.json', '"yes"');
    const readerClient = clientFor(reader, endpoint.url);
    const readable = await readerClient.send(new GetObjectCommand({ Bucket: bucket, Key: 'readable.json' }));

    expect(await readable.Body?.transformToString()).toBe('"yes"');
    await expect(
      readerClient.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing.json' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('refuses what it does not implement instead of doing something else', async () => {
    const copy = client.send(
      new CopyObjectCommand({ Bucket: bucket, Key: 'copy.json', CopySource: `${bucket}/kept.json` }),
    );
    const tooLong = put('x'.repeat(256), 'long');

    await expect(copy).rejects.toMatchObject({ name: 'NotImplemented', $metadata: { httpStatusCode: 501 } });
    await expect(tooLong).rejects.toMatchObject({ name: 'KeyTooLongError' });
  });
});
