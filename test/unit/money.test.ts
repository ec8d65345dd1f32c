import { describe, expect, it } from 'vitest';
import { currencyCodes, minorUnitDecimals } from '#shared/domain/money.ts';

describe('money', () => {
  it('knows the minor unit of currencies with 0, 2, 3 and 4 decimals', () => {
    expect(minorUnitDecimals.get('JPY')).toBe(0);
    expect(minorUnitDecimals.get('EUR')).toBe(2);
    expect(minorUnitDecimals.get('KWD')).toBe(3);
    expect(minorUnitDecimals.get('CLF')).toBe(4);
  });

  it('lists each ISO 4217 code once, in upper case', () => {
    expect(new Set(currencyCodes).size).toBe(currencyCodes.length);
    expect(currencyCodes.length).toBeGreaterThan(150);
    expect(currencyCodes.every((code) => /^[A-Z]{3}$/.test(code))).toBe(true);
    expect(currencyCodes).not.toContain('XYZ');
  });
});
