import { describe, expect, it } from 'vitest';
import { isOneEditApart, searchTerms } from '#shared/search/embedded/text-analysis.ts';

describe('searchTerms', () => {
  it('lower-cases, removes accents and splits at anything but letters and digits', () => {
    expect(searchTerms('Crème brûlée: 2-in-1 SET!')).toEqual(['creme', 'brulee', '2', 'in', '1', 'set']);
  });

  it('keeps letters of any script', () => {
    expect(searchTerms('Äpfel und Ελληνικά')).toEqual(['apfel', 'und', 'ελληνικα']);
  });

  it('finds no term in blank or punctuation-only text', () => {
    expect(searchTerms('  -- ')).toEqual([]);
  });
});

describe('isOneEditApart', () => {
  it.each([
    ['lamp', 'lamb', 'a letter replaced'],
    ['lamp', 'lammp', 'a letter inserted'],
    ['lamp', 'lam', 'a letter deleted'],
    ['lamp', 'lmap', 'two adjacent letters swapped'],
    ['lamp', 'alamp', 'a letter inserted first'],
  ])('accepts %s and %s: %s', (a, b) => {
    expect(isOneEditApart(a, b)).toBe(true);
    expect(isOneEditApart(b, a)).toBe(true);
  });

  it.each([
    ['lamp', 'lamp', 'the same word'],
    ['lamp', 'limb', 'two letters replaced'],
    ['lamp', 'lampsx', 'two letters inserted'],
    ['lamp', 'mpla', 'letters moved further'],
    ['abcd', 'badc', 'two swaps'],
  ])('rejects %s and %s: %s', (a, b) => {
    expect(isOneEditApart(a, b)).toBe(false);
  });
});
