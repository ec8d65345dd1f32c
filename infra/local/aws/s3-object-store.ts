import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { AwsServiceError } from './json-protocol.ts';

/** What S3 keeps beside an object's bytes, as its PutObject request gave it. */
export interface ObjectMetadata {
  readonly contentType: string;
  /** The `x-amz-meta-*` headers, by lower-case name without the prefix. */
  readonly userMetadata: Readonly<Record<string, string>>;
}

export interface StoredObject extends ObjectMetadata {
  readonly key: string;
  readonly size: number;
  /** The hex MD5 of the bytes, unquoted. */
  readonly etag: string;
  readonly lastModified: Date;
}

interface MetadataFile extends ObjectMetadata {
  readonly etag: string;
}

const bucketNamePattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const maximumKeyBytes = 1024;
/** Most file systems refuse longer file names. */
const maximumFileNameBytes = 255;
/** Metadata and uploads in progress start with a dot, which no object's file name does. */
const metadataDirectory = '.metadata';
export const defaultContentType = 'binary/octet-stream';

const isBucketName = (name: string) => bucketNamePattern.test(name) && !name.includes('..');

const percentEncoded = (character: string) =>
  [...Buffer.from(character)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');

/**
 * The file name of the object `key`, one file per object directly in its bucket's directory:
 * only lower-case letters, digits, `-`, `_` and a `.` not leading stay as they are, everything
 * else (`/` included) is percent-encoded. No key can so name a path outside the bucket, a dot
 * file or, on a case-insensitive file system, another key's file.
 */
function objectFileName(key: string): string {
  if (Buffer.byteLength(key) > maximumKeyBytes) {
    throw new AwsServiceError('KeyTooLongError', 'Your key is too long', 400);
  }
  const name = [...key]
    .map((character, index) =>
      /[a-z0-9_-]/.test(character) || (character === '.' && index > 0)
        ? character
        : percentEncoded(character),
    )
    .join('');
  if (name.length > maximumFileNameBytes) {
    throw new AwsServiceError(
      'KeyTooLongError',
      `The local S3 keeps keys of at most ${maximumFileNameBytes} bytes once encoded as a file name`,
      400,
    );
  }
  return name;
}

/** The key whose file name `name` is, if it is one: files put in by hand may be named otherwise. */
function keyOfFileName(name: string): string | undefined {
  try {
    const key = decodeURIComponent(name);
    return objectFileName(key) === name ? key : undefined;
  } catch {
    return undefined;
  }
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/** Sorted as S3 lists keys: by their UTF-8 bytes. */
export const compareKeys = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * S3 buckets as directories under `directory`, one per bucket, each object a file of its bytes
 * with its metadata in a JSON file beside it. An object is replaced by renaming a complete file
 * over it, so a reader sees the old bytes or the new ones, never part of either.
 */
export class S3ObjectStore {
  constructor(private readonly directory: string) {}

  async createBucket(bucket: string): Promise<void> {
    if (!isBucketName(bucket)) throw new Error(`${bucket} is no valid S3 bucket name`);
    await mkdir(join(this.directory, bucket, metadataDirectory), { recursive: true });
  }

  async hasBucket(bucket: string): Promise<boolean> {
    if (!isBucketName(bucket)) return false;
    return stat(join(this.directory, bucket)).then(
      (found) => found.isDirectory(),
      () => false,
    );
  }

  async put(bucket: string, key: string, body: Buffer, metadata: ObjectMetadata): Promise<StoredObject> {
    const { objectPath, metadataPath } = this.paths(bucket, key);
    const etag = createHash('md5').update(body).digest('hex');
    const metadataFile: MetadataFile = { ...metadata, etag };
    await this.replace(bucket, metadataPath, JSON.stringify(metadataFile));
    await this.replace(bucket, objectPath, body);
    return { key, size: body.length, etag, lastModified: new Date(), ...metadata };
  }

  /** The object and a stream of its bytes, or undefined if there is none. */
  async get(bucket: string, key: string): Promise<{ object: StoredObject; content: Readable } | undefined> {
    const { objectPath } = this.paths(bucket, key);
    const file = await open(objectPath).catch((error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    });
    if (!file) return undefined;
    try {
      const object = await this.describe(bucket, key, await file.stat());
      return { object, content: file.createReadStream() };
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  async head(bucket: string, key: string): Promise<StoredObject | undefined> {
    const { objectPath } = this.paths(bucket, key);
    const found = await stat(objectPath).catch((error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    });
    return found && this.describe(bucket, key, found);
  }

  async delete(bucket: string, key: string): Promise<void> {
    const { objectPath, metadataPath } = this.paths(bucket, key);
    await rm(objectPath, { force: true });
    await rm(metadataPath, { force: true });
  }

  /** Every key of the bucket, in S3's order. */
  async keys(bucket: string): Promise<string[]> {
    const names = await readdir(join(this.directory, bucket));
    return names.flatMap((name) => keyOfFileName(name) ?? []).sort(compareKeys);
  }

  private paths(bucket: string, key: string) {
    const fileName = objectFileName(key);
    return {
      objectPath: join(this.directory, bucket, fileName),
      metadataPath: join(this.directory, bucket, metadataDirectory, fileName),
    };
  }

  private async replace(bucket: string, path: string, contents: string | Buffer): Promise<void> {
    const upload = join(this.directory, bucket, `.upload-${randomUUID()}`);
    await writeFile(upload, contents);
    await rename(upload, path);
  }

  /** A file put in the bucket's directory by hand has no metadata: it gets S3's defaults. */
  private async describe(
    bucket: string,
    key: string,
    file: { size: number; mtime: Date },
  ): Promise<StoredObject> {
    const { objectPath, metadataPath } = this.paths(bucket, key);
    const metadata = await readFile(metadataPath, 'utf8').then(
      (text) => JSON.parse(text) as MetadataFile,
      async (error: unknown): Promise<MetadataFile> => {
        if (!isMissing(error)) throw error;
        const etag = createHash('md5')
          .update(await readFile(objectPath))
          .digest('hex');
        return { contentType: defaultContentType, userMetadata: {}, etag };
      },
    );
    return { key, size: file.size, lastModified: file.mtime, ...metadata };
  }
}
