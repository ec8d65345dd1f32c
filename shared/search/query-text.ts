import { maxQueryWords } from './port.ts';

/** A word of search text: a run of letters and digits, with the marks that accent them. */
const word = /[\p{L}\p{N}\p{M}]+/gu;

/** `text` up to the end of its `maxQueryWords`-th word, trimmed: the part of a query's text that counts. */
export function leadingWords(text: string): string {
  let end = 0;
  let count = 0;
  for (const match of text.matchAll(word)) {
    if (count === maxQueryWords) break;
    count++;
    end = match.index + match[0].length;
  }
  return text.slice(0, end).trim();
}
