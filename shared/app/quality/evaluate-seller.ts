import { DomainError } from '#shared/domain/errors.ts';
import {
  evaluateQuality,
  type QualityLevel,
  type QualityRule,
  type QualityStep,
} from '#shared/domain/quality-rules.ts';
import {
  type KpiName,
  type KpiReadings,
  type KpiWindow,
  kpisOf,
  kpiWindows,
  utcDayOf,
  windowCounters,
  windowStart,
} from '#shared/domain/seller-kpis.ts';
import type { QualityNotice } from '#shared/store/entities/seller-quality.ts';
import type { SellerKpiStore } from '#shared/store/seller-kpi-store.ts';
import type { QualityInputs, SellerQualityStore } from '#shared/store/seller-quality-store.ts';

export interface QualityDependencies {
  readonly kpis: Pick<SellerKpiStore, 'days'>;
  readonly quality: Pick<SellerQualityStore, 'inputs' | 'recordCrossing' | 'saveLevels'>;
}

const longestWindow = Math.max(...kpiWindows) as KpiWindow;

/** The seller's KPIs over each window: one Query of the longest window's days. */
export async function readingsOf(
  sellerId: string,
  kpis: QualityDependencies['kpis'],
  now: Date,
): Promise<Record<KpiWindow, KpiReadings>> {
  const days = await kpis.days(sellerId, windowStart(longestWindow, now), utcDayOf(now));
  return Object.fromEntries(
    kpiWindows.map((window) => [window, kpisOf(windowCounters(days, window, now))]),
  ) as Record<KpiWindow, KpiReadings>;
}

/** Tries of an evaluation whose seller's standing another evaluation moved meanwhile. */
const maxTries = 3;

const sameLevels = (a: Partial<Record<KpiName, QualityLevel>>, b: Partial<Record<KpiName, QualityLevel>>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

function noticeOf(sellerId: string, step: QualityStep, at: Date): QualityNotice {
  const { rule, reading } = step;
  const warning = step.kind === 'warn';
  return {
    sellerId,
    kpi: rule.kpi,
    level: warning ? 'warning' : 'limit',
    value: reading.value ?? 0,
    threshold: warning ? rule.warning : rule.limit,
    windowDays: rule.windowDays,
    samples: reading.samples,
    ...(warning ? {} : { action: rule.action }),
    at: at.toISOString(),
  };
}

async function evaluateOnce(sellerId: string, deps: QualityDependencies, now: Date): Promise<void> {
  let inputs: QualityInputs = await deps.quality.inputs(sellerId);
  const rules: readonly QualityRule[] = inputs.rules.rules;
  if (rules.length === 0 && !inputs.standing) return;
  const recorded = inputs.standing?.levels ?? {};
  const { levels, steps } = evaluateQuality(rules, await readingsOf(sellerId, deps.kpis, now), recorded);
  const progress: Partial<Record<KpiName, QualityLevel>> = { ...levels };
  for (const { rule } of steps) progress[rule.kpi] = recorded[rule.kpi] ?? 'ok';
  // Each crossing is written on its own, the warning first, a millisecond apart so they sort in order.
  for (const [index, step] of steps.entries()) {
    progress[step.rule.kpi] = step.kind === 'warn' ? 'warning' : 'limit';
    const notice = noticeOf(sellerId, step, new Date(now.getTime() + index));
    const standing = await deps.quality.recordCrossing(
      { notice, levels: { ...progress }, rule: step.rule },
      inputs,
    );
    inputs = step.kind === 'act' ? await deps.quality.inputs(sellerId) : { ...inputs, standing };
  }
  if (!sameLevels(levels, inputs.standing?.levels ?? {})) {
    await deps.quality.saveLevels(sellerId, levels, now.toISOString(), inputs.standing);
  }
}

/**
 * Evaluates the quality rules for one seller whose KPIs changed: warnings and actions for the levels
 * crossed (quality-rules.ts says when), the levels recorded. Running it again changes nothing.
 */
export async function evaluateSeller(sellerId: string, deps: QualityDependencies, now = new Date()) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await evaluateOnce(sellerId, deps, now);
    } catch (error) {
      const concurrent = error instanceof DomainError && error.code === 'concurrent_modification';
      if (!concurrent || attempt >= maxTries) throw error;
    }
  }
}
