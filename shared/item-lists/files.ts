import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { ItemListLocation, ItemLists } from './port.ts';

/** The local stand-in for S3: one JSON file per list under a directory, its "bucket". */
export class FileItemLists implements ItemLists {
  constructor(private readonly directory: string) {}

  async write(key: string, items: readonly unknown[]): Promise<ItemListLocation> {
    const file = this.fileOf(key);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(items));
    return { bucket: this.directory, key };
  }

  async read({ bucket, key }: ItemListLocation): Promise<unknown[]> {
    if (resolve(bucket) !== resolve(this.directory)) {
      throw new Error(`Item list ${key} is in ${bucket}, not in ${this.directory}`);
    }
    return JSON.parse(await readFile(this.fileOf(key), 'utf8'));
  }

  private fileOf(key: string): string {
    const file = resolve(join(this.directory, key));
    if (!file.startsWith(resolve(this.directory) + sep))
      throw new Error(`Item list key ${key} leaves its directory`);
    return file;
  }
}
