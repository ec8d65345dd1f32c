import { PostingList } from './posting-list.ts';
import { isOneEditApart } from './text-analysis.ts';

/** Every term ever indexed with its posting list, and lookups by prefix and by one edit. */
export class TermVocabulary {
  private readonly postings = new Map<string, PostingList>();
  private readonly sortedTerms: string[] = [];

  get(term: string): PostingList | undefined {
    return this.postings.get(term);
  }

  getOrAdd(term: string): PostingList {
    let postings = this.postings.get(term);
    if (postings === undefined) {
      postings = new PostingList();
      this.postings.set(term, postings);
      this.sortedTerms.splice(this.firstIndexNotBefore(term), 0, term);
    }
    return postings;
  }

  /** The longer terms that start with `prefix`. */
  completions(prefix: string): string[] {
    const completions: string[] = [];
    for (let index = this.firstIndexNotBefore(prefix); index < this.sortedTerms.length; index++) {
      const term = this.sortedTerms[index] as string;
      if (!term.startsWith(prefix)) break;
      if (term !== prefix) completions.push(term);
    }
    return completions;
  }

  /** The terms one edit away from `term`. */
  neighbours(term: string): string[] {
    return this.sortedTerms.filter(
      (candidate) => Math.abs(candidate.length - term.length) <= 1 && isOneEditApart(candidate, term),
    );
  }

  private firstIndexNotBefore(term: string): number {
    let low = 0;
    let high = this.sortedTerms.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.sortedTerms[middle] as string) < term) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
