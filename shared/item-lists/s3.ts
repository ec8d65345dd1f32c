import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ItemListLocation, ItemLists } from './port.ts';

/** Item lists as S3 objects, which a Distributed Map reads with its ItemReader. */
export class S3ItemLists implements ItemLists {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async write(key: string, items: readonly unknown[]): Promise<ItemListLocation> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: JSON.stringify(items),
        ContentType: 'application/json',
      }),
    );
    return { bucket: this.bucket, key };
  }

  async read({ bucket, key }: ItemListLocation): Promise<unknown[]> {
    const { Body } = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse((await Body?.transformToString()) ?? '[]');
  }
}
