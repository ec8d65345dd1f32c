/** A seeded pseudo-random source, so a catalog and its queries are the same on every run. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1) (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('Cannot pick from an empty list.');
    return item;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  hex(length: number): string {
    let hex = '';
    for (let i = 0; i < length; i++) hex += Math.floor(this.next() * 16).toString(16);
    return hex;
  }

  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${this.pick(['8', '9', 'a', 'b'])}${this.hex(3)}-${this.hex(12)}`;
  }
}

/** Draws items with probability proportional to their weight. */
export class WeightedSampler<T> {
  private readonly cumulative: Float64Array;

  constructor(
    private readonly items: readonly T[],
    weights: readonly number[],
  ) {
    this.cumulative = new Float64Array(items.length);
    let total = 0;
    for (const [index, weight] of weights.entries()) {
      total += weight;
      this.cumulative[index] = total;
    }
  }

  /** Zipf's law: the item of rank r (from 1) is drawn with probability proportional to 1 / r^exponent. */
  static zipf<T>(items: readonly T[], exponent = 1): WeightedSampler<T> {
    return new WeightedSampler(
      items,
      items.map((_, index) => 1 / (index + 1) ** exponent),
    );
  }

  sample(random: Random): T {
    const target = random.next() * (this.cumulative.at(-1) ?? 0);
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.cumulative[middle] ?? 0) <= target) low = middle + 1;
      else high = middle;
    }
    const item = this.items[low];
    if (item === undefined) throw new Error('Cannot sample from an empty list.');
    return item;
  }
}
