import type { IncomingHttpHeaders } from 'node:http';

export const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** A request as the simulator's handlers see it, body read. */
export interface SimulatorHttpRequest {
  readonly method: string;
  readonly path: string;
  /** The query string without its `?`. */
  readonly query: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface SimulatorHttpResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}
