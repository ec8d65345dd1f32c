import { type ListingDocument, minTypoTolerantLength } from '../port.ts';
import type { ListingTextIndex } from './listing-text-index.ts';
import type { PostingList } from './posting-list.ts';
import { matchWeights, termWeights } from './relevance.ts';
import { TermVocabulary } from './term-vocabulary.ts';

/** A posting list that matches a query word, and how much a match through it counts. */
interface Expansion {
  readonly postings: PostingList;
  readonly weight: number;
}

const postingCount = (expansions: readonly Expansion[]) =>
  expansions.reduce((sum, { postings }) => sum + postings.length, 0);

/**
 * An inverted index over title, description and attribute values. Posting lists stay sorted by ordinal
 * by appending, and a query scores candidates in flat arrays indexed by ordinal rather than in maps.
 */
export class InvertedTextIndex implements ListingTextIndex {
  private readonly vocabulary = new TermVocabulary();
  private ordinalLimit = 0;
  // Per ordinal, reused across queries: how many query words matched so far, the score so far, and the
  // best score of the current word.
  private wordsMatched = new Uint32Array(0);
  private scores = new Float64Array(0);
  private wordScores = new Float64Array(0);

  add(ordinal: number, listing: ListingDocument): void {
    for (const [term, weight] of termWeights(listing)) this.vocabulary.getOrAdd(term).append(ordinal, weight);
    this.ordinalLimit = Math.max(this.ordinalLimit, ordinal + 1);
  }

  delete(ordinal: number, listing: ListingDocument): void {
    for (const term of termWeights(listing).keys()) this.vocabulary.get(term)?.delete(ordinal);
  }

  forEachMatch(terms: readonly string[], visit: (ordinal: number, score: number) => void): void {
    const wholeWords = new Set(terms.slice(0, -1));
    const lastWord = terms.at(-1);
    const words = [...wholeWords].map((word) => this.expand(word, false));
    if (lastWord !== undefined) words.push(this.expand(lastWord, true));
    if (words.some((expansions) => expansions.length === 0)) return;
    // The word with the fewest postings first: only the listings it matches are candidates.
    words.sort((a, b) => postingCount(a) - postingCount(b));
    const { ordinals, scores } = this.score(words);
    for (const [index, ordinal] of ordinals.entries()) visit(ordinal, scores[index] as number);
  }

  private expand(word: string, isLast: boolean): Expansion[] {
    const found: { terms: string[]; weight: number }[] = [{ terms: [word], weight: matchWeights.exact }];
    if (isLast) found.push({ terms: this.vocabulary.completions(word), weight: matchWeights.prefix });
    if (word.length >= minTypoTolerantLength) {
      found.push({ terms: this.vocabulary.neighbours(word), weight: matchWeights.typo });
    }
    return found.flatMap(({ terms, weight }) =>
      terms.flatMap((term) => {
        const postings = this.vocabulary.get(term);
        if (postings === undefined || postings.length === 0) return [];
        return [{ postings, weight }];
      }),
    );
  }

  /** The ordinals matching every word, with their scores: per word, its best expansion, summed over words. */
  private score(words: readonly (readonly Expansion[])[]): { ordinals: number[]; scores: number[] } {
    this.ensureScratchCapacity();
    const { wordsMatched, scores, wordScores } = this;
    const candidates: number[] = [];
    words.forEach((expansions, wordIndex) => {
      for (const { postings, weight } of expansions) {
        const { ordinals, weights, length } = postings;
        for (let position = 0; position < length; position++) {
          const ordinal = ordinals[position] as number;
          const matched = wordsMatched[ordinal] as number;
          const score = weight * (weights[position] as number);
          if (matched === wordIndex) {
            if (wordIndex === 0) candidates.push(ordinal);
            wordsMatched[ordinal] = wordIndex + 1;
            wordScores[ordinal] = score;
          } else if (matched === wordIndex + 1 && score > (wordScores[ordinal] as number)) {
            wordScores[ordinal] = score;
          }
        }
      }
      for (const ordinal of candidates) {
        if (wordsMatched[ordinal] === wordIndex + 1) {
          scores[ordinal] = (scores[ordinal] as number) + (wordScores[ordinal] as number);
        }
      }
    });
    const matches: { ordinals: number[]; scores: number[] } = { ordinals: [], scores: [] };
    for (const ordinal of candidates) {
      if (wordsMatched[ordinal] === words.length) {
        matches.ordinals.push(ordinal);
        matches.scores.push(scores[ordinal] as number);
      }
      wordsMatched[ordinal] = 0;
      scores[ordinal] = 0;
    }
    return matches;
  }

  private ensureScratchCapacity(): void {
    if (this.wordsMatched.length >= this.ordinalLimit) return;
    const capacity = Math.max(1_024, this.ordinalLimit * 2);
    this.wordsMatched = new Uint32Array(capacity);
    this.scores = new Float64Array(capacity);
    this.wordScores = new Float64Array(capacity);
  }
}
