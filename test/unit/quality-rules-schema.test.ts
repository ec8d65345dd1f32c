import { describe, expect, it } from 'vitest';
import { qualityRulesBody } from '#functions/routes/schemas/quality.ts';
import { fieldErrors } from '#shared/http/request.ts';

/** The fields a rule set is refused for, as the API names them. */
function invalidFields(body: unknown): string[] {
  const result = qualityRulesBody.safeParse(body);
  return result.success ? [] : fieldErrors('body', result.error).map((error) => error.field);
}

const rule = {
  kpi: 'lateShipmentRate',
  warning: 4.5,
  limit: 33.33,
  minOrders: 10,
  action: 'hold-payouts',
};

describe('the quality rules an admin saves', () => {
  it('accepts thresholds with two decimals and defaults the window to 30 days', () => {
    expect(qualityRulesBody.parse({ rules: [rule] })).toEqual({ rules: [{ ...rule, windowDays: 30 }] });
    expect(qualityRulesBody.parse({ rules: [] })).toEqual({ rules: [] });
  });

  it('names each field that is wrong', () => {
    expect(invalidFields({ rules: [{ ...rule, warning: 4.555 }] })).toEqual(['body.rules.0.warning']);
    expect(invalidFields({ rules: [{ ...rule, windowDays: 60 }] })).toEqual(['body.rules.0.windowDays']);
    expect(invalidFields({ rules: [{ ...rule, minOrders: 0 }] })).toEqual(['body.rules.0.minOrders']);
    expect(invalidFields({ rules: [{ ...rule, kpi: 'refundRate' }] })).toEqual(['body.rules.0.kpi']);
    expect(invalidFields({ rules: [{ ...rule, limit: 101 }] })).toEqual(['body.rules.0.limit']);
    expect(invalidFields({ rules: [{ ...rule, warning: 40 }] })).toEqual(['body.rules.0.warning']);
    expect(invalidFields({ rules: [rule], extra: 1 })).toEqual(['body.extra']);
    expect(invalidFields({ rules: [rule, { ...rule, action: 'suspend' }] })).toEqual(['body.rules.1.kpi']);
  });
});
