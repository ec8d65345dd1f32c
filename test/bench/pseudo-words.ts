import type { Random } from './random.ts';

const onsets = [
  'b',
  'c',
  'd',
  'f',
  'g',
  'h',
  'k',
  'l',
  'm',
  'n',
  'p',
  'r',
  's',
  't',
  'v',
  'z',
  'br',
  'ch',
  'cl',
  'dr',
  'fl',
  'gr',
  'pl',
  'sh',
  'st',
  'tr',
];
const vowels = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ou', 'io'];
const codas = ['', '', '', 'n', 'r', 's', 'l', 't', 'm', 'nd', 'st'];

function pseudoWord(random: Random, syllables: number): string {
  let word = '';
  for (let i = 0; i < syllables; i++) word += random.pick(onsets) + random.pick(vowels);
  return word + random.pick(codas);
}

/**
 * Distinct pronounceable words, shortest first: ranked by Zipf's law, the most frequent words are
 * then the short ones, as in natural language.
 */
export function pseudoWords(random: Random, count: number, minSyllables = 1): string[] {
  const words = new Set<string>();
  while (words.size < count) words.add(pseudoWord(random, random.int(minSyllables, 3)));
  return [...words].sort((a, b) => a.length - b.length);
}

export const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
