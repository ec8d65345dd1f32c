import { describe, expect, it } from 'vitest';
import { maxQueryWords } from '#shared/search/port.ts';
import { leadingWords } from '#shared/search/query-text.ts';

describe('leadingWords', () => {
  it('keeps a text of up to maxQueryWords words as written, trimmed', () => {
    expect(leadingWords('  3.5" brass lamp, café-style ')).toBe('3.5" brass lamp, café-style');
  });

  it('cuts a longer text after its last counted word', () => {
    const words = Array.from({ length: maxQueryWords + 5 }, (_, index) => `w${index}`);
    expect(leadingWords(words.join(' - '))).toBe(words.slice(0, maxQueryWords).join(' - '));
  });

  it('counts a letter with a combining accent as part of its word', () => {
    const accented = `cafe\u0301 ${'x '.repeat(maxQueryWords - 1)}dropped`;
    expect(leadingWords(accented)).toBe(`cafe\u0301 ${'x '.repeat(maxQueryWords - 1)}`.trim());
  });

  it('finds nothing to search for in punctuation alone', () => {
    expect(leadingWords(' -- !? ')).toBe('');
  });
});
