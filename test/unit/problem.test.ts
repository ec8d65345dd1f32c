import { describe, expect, it } from 'vitest';
import { NotConfigured } from '#shared/config/not-configured.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { Problem, toProblem } from '#shared/http/problem.ts';

describe('toProblem', () => {
  it('names the request body field a rule refused, from the path into the command', () => {
    const problem = toProblem(
      new DomainError('unprocessable', 'over_max_per_order', 'lines.2.quantity: at most 1', [
        { path: ['lines', 2, 'quantity'], message: 'at most 1' },
        { path: ['lines'], message: 'one currency' },
      ]),
    );
    expect(problem).toMatchObject({ status: 422, code: 'over_max_per_order' });
    expect(problem.errors).toEqual([
      { field: 'body.lines.2.quantity', message: 'at most 1' },
      { field: 'body.lines', message: 'one currency' },
    ]);
  });

  it('maps each kind of refusal to its status, and leaves errors out when the rule names no field', () => {
    const statuses = (['not-found', 'forbidden', 'conflict', 'stale-version', 'unprocessable'] as const).map(
      (kind) => toProblem(new DomainError(kind, 'code', 'message')),
    );
    expect(statuses.map((problem) => problem.status)).toEqual([404, 403, 409, 412, 422]);
    expect(statuses.every((problem) => problem.errors === undefined)).toBe(true);
  });

  it('passes problems through, answers 503 for what is not configured and hides anything else', () => {
    const thrown = new Problem(428, 'precondition_required', 'If-Match is required');
    expect(toProblem(thrown)).toBe(thrown);
    expect(toProblem(new NotConfigured('payments_not_configured', 'no key')).status).toBe(503);
    const hidden = toProblem(new Error('secret table name in a stack trace'));
    expect(hidden).toMatchObject({ status: 500, code: 'internal_error' });
    expect(hidden.detail).not.toContain('secret');
  });
});
