import { describe, expect, it } from 'vitest';
import { exitCodes, runMetricsCli } from '#infra/ops/metrics/cli.ts';
import { noCounts, periodMetrics } from '#shared/domain/marketplace-metrics.ts';
import { capturedOutput } from '../support/captured-output.ts';

const day = periodMetrics('day', '2026-12-01', {
  ...noCounts,
  ordersPlaced: 3,
  ordersCaptured: 2,
  captured: 123_456,
  commission: 12_346,
  refunds: 1,
  refunded: 1000,
  activeBuyers: 2,
  activeSellers: 1,
});

async function run(argv: string[], answer: () => Response = () => Response.json({})) {
  const [stdout, stderr] = [capturedOutput(), capturedOutput()];
  const requested: URL[] = [];
  const code = await runMetricsCli(argv, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: { MARKETPLACE_TOKEN: 'token' },
    fetch: async (url) => {
      requested.push(new URL(String(url)));
      return answer();
    },
  });
  return { code, out: stdout.text(), err: stderr.text(), requested };
}

describe('npm run metrics', () => {
  it('asks the API for the range and prints a row per period, amounts in the currency’s units', async () => {
    const { code, out, requested } = await run(['--from=2026-12-01', '--to=2026-12-01'], () =>
      Response.json({
        currency: 'EUR',
        granularity: 'day',
        from: '2026-12-01',
        to: '2026-12-01',
        periods: [day],
      }),
    );
    expect(code).toBe(exitCodes.ok);
    expect(requested[0]?.pathname).toBe('/admin/metrics');
    expect(Object.fromEntries(requested[0]?.searchParams ?? [])).toEqual({
      from: '2026-12-01',
      to: '2026-12-01',
      granularity: 'day',
      currency: 'EUR',
    });
    const [header, row] = out.trimEnd().split('\n');
    expect(header).toMatch(/^Period +GMV +Net GMV +Commission +Take rate/);
    expect(row).toContain('2026-12-01');
    expect(row).toContain('EUR 1,234.56');
    expect(row).toContain('EUR 1,224.56');
    expect(row).toContain('10.08 %');
  });

  it('refuses what the route would refuse, without asking it', async () => {
    const { code, err, requested } = await run(['--from=2026-01-01', '--to=2027-06-01']);
    expect(code).toBe(exitCodes.usage);
    expect(err).toContain('to');
    expect(requested).toEqual([]);
    expect((await run(['--from=2026-01-01', '--to=2026-01-02', '--granularity=year'])).code).toBe(
      exitCodes.usage,
    );
  });

  it('says what the API refused, with how to get an admin’s token', async () => {
    const { code, err } = await run(['--from=2026-01-01', '--to=2026-01-02'], () =>
      Response.json(
        { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'No valid token.' },
        { status: 401, headers: { 'content-type': 'application/problem+json' } },
      ),
    );
    expect(code).toBe(exitCodes.failed);
    expect(err).toContain('401 Unauthorized');
    expect(err).toContain('token -- admin');
  });
});
