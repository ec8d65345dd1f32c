import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '#shared/domain/report.ts';
import { ReportStore } from '#shared/store/report-store.ts';
import { freshTable } from '../support/table.ts';

let reports: ReportStore;

beforeAll(async () => {
  const { client, tableName } = await freshTable();
  reports = new ReportStore(client, tableName);
});

const settled = (promises: Promise<unknown>[]) =>
  Promise.allSettled(promises).then((results) =>
    results.map((result) =>
      result.status === 'fulfilled' ? 'ok' : (result.reason as { code: string }).code,
    ),
  );

describe('ReportStore', () => {
  it('files one open report per reporter and target when the same report comes in at once', async () => {
    const target = { kind: 'user', id: 'spammer' } as const;
    const outcomes = await settled(
      Array.from({ length: 5 }, () => reports.create({ reporterId: 'ann', target, reason: 'spam' })),
    );
    expect(outcomes.sort()).toEqual([
      'ok',
      'report_exists',
      'report_exists',
      'report_exists',
      'report_exists',
    ]);
    const queued = (await reports.listOpen(100)).items.filter((report) => report.target.id === 'spammer');
    expect(queued).toHaveLength(1);
  });

  it('resolves a report once when two admins resolve it at once', async () => {
    const filed = await reports.create({
      reporterId: 'ann',
      target: { kind: 'user', id: 'troll' },
      reason: 'harassment',
    });
    const resolution = (by: string) =>
      ({ outcome: 'dismissed', by, at: new Date().toISOString(), note: 'Checked' }) as const;
    const outcomes = await settled([
      reports.resolve(filed, resolution('ada')),
      reports.resolve(filed, resolution('eve')),
    ]);
    expect(outcomes.sort()).toEqual(['ok', 'report_resolved']);
    const stored = (await reports.get(filed.id)) as Report;
    expect(stored.status).toBe('resolved');
    expect((await reports.listOpen(100)).items.map((report) => report.id)).not.toContain(filed.id);
  });

  it('pages the queue oldest first', async () => {
    const { client, tableName } = await freshTable();
    const queue = new ReportStore(client, tableName);
    const ids: string[] = [];
    for (let day = 1; day <= 3; day++) {
      const filed = await queue.create(
        { reporterId: `r${day}`, target: { kind: 'user', id: 'x' }, reason: 'spam' },
        new Date(Date.UTC(2030, 0, day)),
      );
      ids.push(filed.id);
    }
    const first = await queue.listOpen(2);
    expect(first.items.map((report) => report.id)).toEqual(ids.slice(0, 2));
    const second = await queue.listOpen(2, first.nextCursor);
    expect(second.items.map((report) => report.id)).toEqual(ids.slice(2));
    expect(second.nextCursor).toBeUndefined();
  });
});
