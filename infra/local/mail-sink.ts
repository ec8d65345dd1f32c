import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A message the local SES took instead of sending it. */
export interface CapturedMail {
  readonly id: string;
  readonly at: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly configurationSet?: string;
  readonly subject: string;
  readonly text?: string;
  readonly html?: string;
}

/**
 * Where the local SES puts what the functions send: one JSON file per message in a directory of the
 * stack's data, read by `npm run mail` and by tests. Names sort by time.
 */
export class MailSink {
  constructor(readonly directory: string) {}

  async capture(mail: Omit<CapturedMail, 'id' | 'at'>): Promise<CapturedMail> {
    const at = new Date().toISOString();
    const captured = { id: randomUUID(), at, ...mail };
    await mkdir(this.directory, { recursive: true });
    await writeFile(
      join(this.directory, `${at.replace(/[:.]/g, '-')}-${captured.id}.json`),
      JSON.stringify(captured, null, 2),
    );
    return captured;
  }

  /** Every message captured, oldest first. */
  async messages(): Promise<CapturedMail[]> {
    const names = await readdir(this.directory).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    const files = names.filter((name) => name.endsWith('.json')).sort();
    return Promise.all(
      files.map(
        async (name) => JSON.parse(await readFile(join(this.directory, name), 'utf8')) as CapturedMail,
      ),
    );
  }
}

/** Where the local stack's mail sink keeps messages under its data directory. */
export const mailDirectoryIn = (dataDir: string) => join(dataDir, 'mail');
