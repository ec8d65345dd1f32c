/** The listings containing one term, by ascending ordinal, each with the weight of the term in it. */
export class PostingList {
  ordinals = new Int32Array(4);
  weights = new Float32Array(4);
  length = 0;

  /** Ordinals only grow, so appending keeps the list sorted. */
  append(ordinal: number, weight: number): void {
    if (this.length === this.ordinals.length) this.grow();
    this.ordinals[this.length] = ordinal;
    this.weights[this.length] = weight;
    this.length++;
  }

  delete(ordinal: number): void {
    const index = this.indexOf(ordinal);
    if (index < 0) return;
    this.ordinals.copyWithin(index, index + 1, this.length);
    this.weights.copyWithin(index, index + 1, this.length);
    this.length--;
  }

  private indexOf(ordinal: number): number {
    let low = 0;
    let high = this.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = this.ordinals[middle] as number;
      if (found === ordinal) return middle;
      if (found < ordinal) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  private grow(): void {
    const ordinals = new Int32Array(this.ordinals.length * 2);
    ordinals.set(this.ordinals);
    this.ordinals = ordinals;
    const weights = new Float32Array(this.weights.length * 2);
    weights.set(this.weights);
    this.weights = weights;
  }
}
