import { STATUS_CODES } from 'node:http';
import * as z from 'zod';
import {
  type approvalBody,
  payoutLineView,
  payoutRunDetail,
  payoutRunPage,
  payoutRunView,
  type startPayoutRunBody,
} from '#functions/routes/schemas/payouts.ts';
import { routes } from '#functions/routes.ts';
import { problemSchema } from '#shared/http/problem.ts';

export type RunView = z.infer<typeof payoutRunView>;
export type LineView = z.infer<typeof payoutLineView>;
export type RunSummaryView = Omit<RunView, 'progress'>;
export type StartRunInput = z.input<typeof startPayoutRunBody>;
export type Decision = z.input<typeof approvalBody>;
export type ProblemBody = z.infer<typeof problemSchema>;

// `pageOf` types its items `unknown`: these give them back the type of the route's item schema.
const runSummaries = z.array(payoutRunView.unwrap().omit({ progress: true }));
const lines = z.array(payoutLineView);

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor?: string;
}
export type RunDetail = RunView & { readonly lines: Page<LineView> };

/** The API answered with an error: its problem+json body, or one made up from a non-problem answer. */
export class ApiProblem extends Error {
  constructor(readonly problem: Omit<ProblemBody, 'instance' | 'requestId' | 'code'> & Partial<ProblemBody>) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
    this.name = 'ApiProblem';
  }

  /** Worth asking again: the outcome of the request is unknown or the service is briefly unavailable. */
  get transient(): boolean {
    return this.problem.status >= 500 || this.problem.status === 429;
  }
}

/** No answer: the network failed or the request timed out. Whether the API acted on it is unknown. */
export class ApiUnreachable extends Error {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`No answer from ${url}: ${reason}`);
    this.name = 'ApiUnreachable';
  }
}

/** A success response that does not match the route's schema: the CLI and the API disagree. */
export class UnexpectedResponse extends Error {
  constructor(what: string, reason: string) {
    super(`Unexpected ${what} from the API:\n${reason}`);
    this.name = 'UnexpectedResponse';
  }
}

export interface PayoutApiOptions {
  /** E.g. http://localhost:3000, or the deployed API's URL including any stage path. */
  readonly baseUrl: string;
  readonly token: string;
  readonly fetch?: typeof fetch;
  /** Aborts every request in flight (Ctrl-C). */
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

interface RouteRef {
  readonly method: string;
  readonly path: string;
}

type Query = Record<string, string | number | undefined>;

/** `/payout-runs/{runId}` with its parameters filled in. */
function pathOf(route: RouteRef, params: Record<string, string> = {}): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`No value for {${name}} in ${route.path}`);
    return encodeURIComponent(value);
  });
}

/** Reads a failed response as the problem it reports, even when a proxy or gateway answered instead. */
export async function problemOf(response: Response): Promise<ApiProblem> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = problemSchema.safeParse(json);
  if (parsed.success) return new ApiProblem(parsed.data);
  // API Gateway's own answers (authorizer, throttling) are `{"message": "..."}`.
  const message = z.object({ message: z.string() }).safeParse(json);
  return new ApiProblem({
    type: 'about:blank',
    title: STATUS_CODES[response.status] ?? 'Error',
    status: response.status,
    detail: message.success ? message.data.message : text.trim().slice(0, 500) || '(no details)',
  });
}

/** The payout-run routes of the marketplace API, called as one finance user. */
export class PayoutApi {
  readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: PayoutApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** Starts a run; `created` is false when this Idempotency-Key started it before. */
  async startRun(input: StartRunInput, idempotencyKey: string): Promise<{ run: RunView; created: boolean }> {
    const response = await this.send(routes.startPayoutRun, {
      body: input,
      headers: { 'idempotency-key': idempotencyKey },
    });
    return { run: await this.parse(response, payoutRunView, 'payout run'), created: response.status === 201 };
  }

  async listRuns(query: { limit?: string | number; cursor?: string } = {}): Promise<Page<RunSummaryView>> {
    const response = await this.send(routes.listPayoutRuns, { query });
    const page = await this.parse(response, payoutRunPage, 'page of payout runs');
    return { ...page, items: runSummaries.parse(page.items) };
  }

  async getRun(
    runId: string,
    query: { status?: string; limit?: string | number; cursor?: string } = {},
  ): Promise<RunDetail> {
    const response = await this.send(routes.getPayoutRun, { params: { runId }, query });
    const run = await this.parse(response, payoutRunDetail, 'payout run');
    return { ...run, lines: { ...run.lines, items: lines.parse(run.lines.items) } };
  }

  async decide(runId: string, decision: Decision): Promise<RunView> {
    const response = await this.send(routes.decidePayoutRun, { params: { runId }, body: decision });
    return this.parse(response, payoutRunView, 'payout run');
  }

  async resume(runId: string): Promise<RunView> {
    const response = await this.send(routes.resumePayoutRun, { params: { runId } });
    return this.parse(response, payoutRunView, 'payout run');
  }

  /** Every line of the run as CSV, amounts in minor units. */
  async report(runId: string): Promise<string> {
    const response = await this.send(routes.payoutRunReport, { params: { runId }, accept: 'text/csv' });
    return response.text();
  }

  private async send(
    route: RouteRef,
    request: {
      params?: Record<string, string>;
      query?: Query;
      body?: unknown;
      headers?: Record<string, string>;
      accept?: string;
    },
  ): Promise<Response> {
    const url = new URL(`${this.baseUrl}${pathOf(route, request.params)}`);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    let response: Response;
    try {
      response = await this.fetch(url, {
        method: route.method,
        headers: {
          accept: request.accept ?? 'application/json',
          authorization: `Bearer ${this.options.token}`,
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...request.headers,
        },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal: this.options.signal ? AbortSignal.any([this.options.signal, timeout]) : timeout,
      });
    } catch (error) {
      if (this.options.signal?.aborted) throw error;
      if (timeout.aborted) throw new ApiUnreachable(url.origin, 'timed out');
      throw new ApiUnreachable(url.origin, reasonOf(error));
    }
    if (!response.ok) throw await problemOf(response);
    return response;
  }

  private async parse<S extends z.ZodType>(response: Response, schema: S, what: string): Promise<z.infer<S>> {
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UnexpectedResponse(what, `not JSON: ${text.slice(0, 200)}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new UnexpectedResponse(what, z.prettifyError(parsed.error));
    return parsed.data;
  }
}

/** fetch's TypeError says only "fetch failed"; the system error (ECONNREFUSED…) is its cause. */
export function reasonOf(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  // Connecting to `localhost` tries ::1 and 127.0.0.1: the AggregateError has a code but no message.
  if (cause instanceof Error) return cause.message || ('code' in cause ? String(cause.code) : cause.name);
  return error instanceof Error ? error.message : String(error);
}
