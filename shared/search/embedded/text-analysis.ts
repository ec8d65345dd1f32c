import { leadingWords } from '../query-text.ts';

const nonWordCharacters = /[^\p{L}\p{N}]+/u;
const combiningMarks = /\p{M}/gu;

/** The terms of a text as indexed and searched: lower case, accents removed, split at anything but letters and digits. */
export function searchTerms(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(combiningMarks, '')
    .toLowerCase()
    .split(nonWordCharacters)
    .filter((term) => term.length > 0);
}

/** The terms a query's text searches for: those of its leading words. */
export const queryTerms = (text: string) => searchTerms(leadingWords(text));

/** Whether `a` and `b` differ by one edit: a letter inserted, deleted or replaced, or two adjacent letters swapped. */
export function isOneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  let start = 0;
  while (start < shorter.length && shorter[start] === longer[start]) start++;
  if (shorter.length !== longer.length) return shorter.slice(start) === longer.slice(start + 1);
  if (shorter.slice(start + 1) === longer.slice(start + 1)) return true;
  return (
    shorter[start] === longer[start + 1] &&
    shorter[start + 1] === longer[start] &&
    shorter.slice(start + 2) === longer.slice(start + 2)
  );
}
