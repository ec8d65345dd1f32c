import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

/**
 * A webhook receiver on this machine: answers each path with the statuses queued for it, 500 while
 * the path is down, otherwise 200; after the time a path is held for, if it is.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  readonly answers = new Map<string, number[]>();
  readonly down = new Set<string>();
  readonly holdMs = new Map<string, number>();
  private server: Server | undefined;
  url = '';

  async start() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        this.received.push({
          path,
          headers: request.headers,
          body: Buffer.concat(chunks).toString(),
          at: Date.now(),
        });
        const status = this.answers.get(path)?.shift() ?? (this.down.has(path) ? 500 : 200);
        setTimeout(() => response.writeHead(status).end(), this.holdMs.get(path) ?? 0);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  at(path: string) {
    return this.received.filter((request) => request.path === path);
  }

  stop() {
    return new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
