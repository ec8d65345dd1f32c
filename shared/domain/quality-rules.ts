import { type KpiName, type KpiReading, type KpiReadings, type KpiWindow, kpiScales } from './seller-kpis.ts';

/**
 * Seller quality rules (Mirakl Quality Control style): per KPI, a warning level and a limit over a
 * trailing window, applied once the KPI is measured on enough orders; at the limit, an action.
 * See docs/design/seller-quality.md.
 */

export const qualityActions = ['hold-payouts', 'suspend'] as const;
export type QualityAction = (typeof qualityActions)[number];

export interface QualityRule {
  readonly kpi: KpiName;
  readonly windowDays: KpiWindow;
  /** In the KPI's unit (percent, seconds, stars); reached first, on the better side of `limit`. */
  readonly warning: number;
  readonly limit: number;
  /** The rule applies once the KPI is measured on at least this many orders (reviews, for the rating). */
  readonly minOrders: number;
  readonly action: QualityAction;
}

export interface QualityRules {
  readonly rules: readonly QualityRule[];
}

export const noQualityRules: QualityRules = { rules: [] };

/** The most any unit's threshold may be. */
export const thresholdBounds: Readonly<Record<'percent' | 'seconds' | 'stars', readonly [number, number]>> = {
  percent: [0, 100],
  seconds: [0, 90 * 86_400],
  stars: [1, 5],
};

/** What is wrong with a rule set, by path: a KPI named twice, bounds out of range or in the wrong order. */
export function qualityRuleProblems(
  rules: readonly QualityRule[],
): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const seen = new Set<KpiName>();
  rules.forEach((rule, index) => {
    const { unit, worse } = kpiScales[rule.kpi];
    if (seen.has(rule.kpi))
      problems.push({ path: [index, 'kpi'], message: `${rule.kpi} has a rule already` });
    seen.add(rule.kpi);
    const [min, max] = thresholdBounds[unit];
    for (const field of ['warning', 'limit'] as const) {
      if (rule[field] < min || rule[field] > max) {
        problems.push({ path: [index, field], message: `must be from ${min} to ${max} (${unit})` });
      }
    }
    const ordered = worse === 'higher' ? rule.warning < rule.limit : rule.warning > rule.limit;
    if (!ordered) {
      problems.push({
        path: [index, 'warning'],
        message: `must be ${worse === 'higher' ? 'below' : 'above'} the limit: a higher ${rule.kpi} is ${worse === 'higher' ? 'worse' : 'better'}`,
      });
    }
  });
  return problems;
}

export const qualityLevels = ['ok', 'warning', 'limit'] as const;
export type QualityLevel = (typeof qualityLevels)[number];

const rank: Readonly<Record<QualityLevel, number>> = { ok: 0, warning: 1, limit: 2 };

/**
 * Whether the reading is at or beyond `threshold`, on the worse side. Ratios are compared exactly,
 * in integers (thresholds have at most 2 decimals).
 */
export function reaches(kpi: KpiName, reading: KpiReading, threshold: number): boolean {
  if (reading.value === undefined) return false;
  const worse = kpiScales[kpi].worse;
  if (reading.ratio) {
    const { numerator, denominator, scale } = reading.ratio;
    const left = numerator * scale * 100;
    const right = Math.round(threshold * 100) * denominator;
    return worse === 'higher' ? left >= right : left <= right;
  }
  return worse === 'higher' ? reading.value >= threshold : reading.value <= threshold;
}

/** Where a seller stands against a rule: `ok` too while the KPI is measured on fewer than `minOrders`. */
export function levelOf(rule: QualityRule, reading: KpiReading): QualityLevel {
  if (reading.samples < rule.minOrders || reading.samples === 0) return 'ok';
  if (reaches(rule.kpi, reading, rule.limit)) return 'limit';
  if (reaches(rule.kpi, reading, rule.warning)) return 'warning';
  return 'ok';
}

/** What crossing a rule's levels calls for, in the order it must happen: the warning first. */
export type QualityStep =
  | { readonly kind: 'warn'; readonly rule: QualityRule; readonly reading: KpiReading }
  | { readonly kind: 'act'; readonly rule: QualityRule; readonly reading: KpiReading };

export interface QualityEvaluation {
  /** Each rule's KPI's level now; KPIs without a rule are absent. */
  readonly levels: Readonly<Partial<Record<KpiName, QualityLevel>>>;
  readonly steps: readonly QualityStep[];
}

/**
 * Compares each rule's KPI with the level recorded for it and says what to do. Levels are
 * edge-triggered: a warning is recorded when the KPI goes from under the warning level to at or past
 * it, the action applied when it goes from under the limit to at or past it (a single change crossing
 * both gives the warning, then the action). Staying past a level does nothing more, whatever an admin
 * did meanwhile: an override (a released hold, a reinstatement) holds until the KPI has come back
 * under the limit and crosses it again.
 */
export function evaluateQuality(
  rules: readonly QualityRule[],
  readingsByWindow: Readonly<Record<KpiWindow, KpiReadings>>,
  recorded: Readonly<Partial<Record<KpiName, QualityLevel>>>,
): QualityEvaluation {
  const levels: Partial<Record<KpiName, QualityLevel>> = {};
  const steps: QualityStep[] = [];
  for (const rule of rules) {
    const reading = readingsByWindow[rule.windowDays][rule.kpi];
    const level = levelOf(rule, reading);
    const was = recorded[rule.kpi] ?? 'ok';
    levels[rule.kpi] = level;
    if (rank[was] < rank.warning && rank[level] >= rank.warning) steps.push({ kind: 'warn', rule, reading });
    if (rank[was] < rank.limit && level === 'limit') steps.push({ kind: 'act', rule, reading });
  }
  return { levels, steps };
}
