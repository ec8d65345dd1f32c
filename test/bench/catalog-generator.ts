import {
  facetAttributes,
  type ListingDocument,
  type SearchQuery,
  type SearchSort,
} from '#shared/search/port.ts';
import { capitalize, pseudoWords } from './pseudo-words.ts';
import { Random, WeightedSampler } from './random.ts';

type FacetAttribute = (typeof facetAttributes)[number];

interface CategoryProfile {
  readonly path: string;
  /** The word a title ends with, e.g. "lamp". */
  readonly noun: string;
  /** Median price in major units of EUR. */
  readonly medianPrice: number;
  readonly attributes: readonly FacetAttribute[];
}

const attributesByDepartment: Record<string, readonly FacetAttribute[]> = {
  home: ['color', 'material', 'brand', 'condition'],
  fashion: ['color', 'size', 'material', 'brand', 'condition'],
  electronics: ['color', 'brand', 'condition'],
  sports: ['color', 'size', 'material', 'brand', 'condition'],
  garden: ['color', 'material', 'brand', 'condition'],
  kids: ['color', 'size', 'material', 'brand', 'condition'],
  books: ['brand', 'condition'],
  collectibles: ['material', 'condition'],
};

// [path, noun, median price in EUR]
const categoryTable: readonly (readonly [string, string, number])[] = [
  ['home/lamps', 'lamp', 45],
  ['home/rugs', 'rug', 120],
  ['home/furniture', 'table', 250],
  ['home/kitchen', 'pan', 35],
  ['home/bedding', 'duvet', 60],
  ['fashion/shoes', 'sneakers', 80],
  ['fashion/dresses', 'dress', 55],
  ['fashion/jackets', 'jacket', 110],
  ['fashion/bags', 'bag', 70],
  ['fashion/watches', 'watch', 150],
  ['electronics/phones', 'phone', 400],
  ['electronics/laptops', 'laptop', 800],
  ['electronics/audio', 'headphones', 120],
  ['electronics/cameras', 'camera', 450],
  ['electronics/gaming', 'console', 300],
  ['sports/cycling', 'bike', 500],
  ['sports/running', 'runners', 90],
  ['sports/camping', 'tent', 150],
  ['sports/fitness', 'dumbbell', 40],
  ['sports/swimming', 'goggles', 20],
  ['garden/tools', 'shovel', 30],
  ['garden/plants', 'plant', 15],
  ['garden/furniture', 'bench', 180],
  ['garden/lighting', 'lantern', 25],
  ['garden/grills', 'grill', 220],
  ['kids/toys', 'toy', 20],
  ['kids/clothing', 'onesie', 15],
  ['kids/books', 'picturebook', 10],
  ['kids/strollers', 'stroller', 250],
  ['kids/games', 'puzzle', 18],
  ['books/fiction', 'novel', 12],
  ['books/history', 'chronicle', 20],
  ['books/cooking', 'cookbook', 25],
  ['books/science', 'textbook', 35],
  ['books/comics', 'comic', 8],
  ['collectibles/coins', 'coin', 60],
  ['collectibles/stamps', 'stamp', 15],
  ['collectibles/vinyl', 'record', 25],
  ['collectibles/art', 'print', 200],
  ['collectibles/antiques', 'vase', 180],
];

const colors = ['black', 'white', 'grey', 'blue', 'red', 'green', 'brown', 'beige', 'navy', 'pink'];
const moreColors = ['yellow', 'orange', 'purple', 'silver', 'gold', 'multicolor'];
const materials = ['cotton', 'wood', 'steel', 'leather', 'plastic', 'glass', 'wool', 'ceramic', 'linen'];
const moreMaterials = ['polyester', 'aluminium', 'bamboo', 'oak', 'silk', 'denim'];

/** Currencies with their share of listings and their price relative to EUR. */
const currencies: readonly (readonly [string, number, number])[] = [
  ['EUR', 0.8, 1],
  ['USD', 0.1, 1.08],
  ['GBP', 0.07, 0.85],
  ['SEK', 0.03, 11],
];

const catalogYearStart = Date.parse('2024-01-01T00:00:00.000Z');
const yearInMs = 365 * 24 * 3600 * 1000;

const vocabularySize = 8_000;

/** The facts about the synthetic catalog a benchmark report states. */
export const catalogShape = {
  vocabularySize,
  categories: categoryTable.length,
  currencies: currencies.length,
};

/** The vocabulary, categories and attribute values every catalog and query mix draws from. */
const model = buildModel(new Random(0x5eed));

function buildModel(random: Random) {
  const vocabulary = pseudoWords(random, vocabularySize);
  const categories: CategoryProfile[] = categoryTable.map(([path, noun, medianPrice]) => ({
    path,
    noun,
    medianPrice,
    attributes: attributesByDepartment[path.split('/')[0] ?? ''] ?? [],
  }));
  const popularityOrder = [...categories].sort(() => random.next() - 0.5);
  const brands = pseudoWords(random, 300, 2).map(capitalize);
  return {
    words: WeightedSampler.zipf(vocabulary),
    categories: WeightedSampler.zipf(popularityOrder, 0.7),
    attributeValues: {
      color: WeightedSampler.zipf([...colors, ...moreColors], 0.8),
      size: WeightedSampler.zipf(['M', 'L', 'S', 'XL', 'XS', 'XXL'], 0.6),
      material: WeightedSampler.zipf([...materials, ...moreMaterials], 0.8),
      brand: WeightedSampler.zipf(brands),
      condition: new WeightedSampler(['new', 'like new', 'good', 'fair'], [50, 25, 18, 7]),
    } satisfies Record<FacetAttribute, WeightedSampler<string>>,
    currencies: new WeightedSampler(
      currencies,
      currencies.map(([, share]) => share),
    ),
  };
}

function words(random: Random, count: number): string[] {
  return Array.from({ length: count }, () => model.words.sample(random));
}

function title(random: Random, category: CategoryProfile, attributes: Record<string, string>): string {
  const parts: string[] = [];
  if (attributes.brand !== undefined && random.chance(0.3)) parts.push(attributes.brand);
  if (attributes.color !== undefined && random.chance(0.25)) parts.push(attributes.color);
  const fillerCount = Math.max(1, random.int(3, 8) - parts.length - 1);
  parts.push(...words(random, fillerCount), category.noun);
  return capitalize(parts.join(' '));
}

function description(random: Random, attributes: Record<string, string>): string {
  const body = words(random, random.int(20, 80));
  if (attributes.material !== undefined && random.chance(0.3))
    body.splice(random.int(0, 10), 0, attributes.material);
  const sentences: string[] = [];
  while (body.length > 0) sentences.push(`${capitalize(body.splice(0, random.int(6, 14)).join(' '))}.`);
  return sentences.join(' ');
}

function price(random: Random, category: CategoryProfile): { price: number; currency: string } {
  const [currency, , rate] = model.currencies.sample(random);
  const major = category.medianPrice * rate * Math.exp(0.8 * random.normal());
  return { price: Math.max(99, Math.round(major) * 100 - 1), currency };
}

function listing(random: Random, sellerIds: readonly string[]): ListingDocument {
  const category = model.categories.sample(random);
  const attributes: Record<string, string> = {};
  for (const name of category.attributes) {
    if (random.chance(0.9)) attributes[name] = model.attributeValues[name].sample(random);
  }
  const rating = random.chance(0.7)
    ? Math.round(Math.min(5, Math.max(1, 4.2 + 0.6 * random.normal())) * 10) / 10
    : undefined;
  return {
    id: random.uuid(),
    sellerId: random.pick(sellerIds),
    title: title(random, category, attributes),
    description: description(random, attributes),
    category: category.path,
    ...price(random, category),
    stock: random.chance(0.15) ? 0 : 1 + Math.floor(-Math.log(1 - random.next()) * 8),
    attributes,
    ...(rating === undefined ? {} : { rating }),
    publishedAt: new Date(catalogYearStart + Math.floor(random.next() * yearInMs)).toISOString(),
    version: random.int(1, 5),
  };
}

/** A deterministic synthetic catalog of `count` published listings. */
export function generateCatalog(count: number, seed = 1): ListingDocument[] {
  const random = new Random(seed);
  const sellerIds = Array.from({ length: Math.max(20, Math.ceil(count / 25)) }, () => random.uuid());
  return Array.from({ length: count }, () => listing(random, sellerIds));
}

export const queryKinds = ['text', 'prefix', 'typo', 'browse'] as const;
export type QueryKind = (typeof queryKinds)[number];

export interface GeneratedQuery {
  readonly kind: QueryKind;
  readonly query: SearchQuery;
}

const queryKindMix = new WeightedSampler<QueryKind>(queryKinds, [45, 20, 15, 20]);

const letters = 'abcdefghijklmnopqrstuvwxyz';

/** One substituted, inserted or deleted letter, keeping the word at least four letters long. */
function withTypo(random: Random, word: string): string {
  const at = random.int(1, word.length - 1);
  const letter = random.pick([...letters]);
  const edit = word.length >= 5 ? random.int(0, 2) : random.int(0, 1);
  if (edit === 0) return word.slice(0, at) + letter + word.slice(at + 1);
  if (edit === 1) return word.slice(0, at) + letter + word.slice(at);
  return word.slice(0, at) + word.slice(at + 1);
}

function queryText(random: Random, kind: Exclude<QueryKind, 'browse'>): string {
  const terms = words(random, random.int(1, 3));
  const last = terms.length - 1;
  const lastWord = terms[last] ?? '';
  if (kind === 'prefix' && lastWord.length > 3) {
    terms[last] = lastWord.slice(0, Math.max(3, Math.ceil(lastWord.length * 0.6)));
  }
  if (kind === 'typo') {
    let word = lastWord;
    while (word.length < 4) word = model.words.sample(random);
    terms[last] = withTypo(random, word);
  }
  return terms.join(' ');
}

type Filters = Omit<SearchQuery, 'text' | 'sort' | 'limit' | 'cursor'>;
type FilterKind = 'category' | 'price' | 'attribute' | 'inStock' | 'minRating' | 'currency';

const filterKindMix = new WeightedSampler<FilterKind>(
  ['category', 'price', 'attribute', 'inStock', 'minRating', 'currency'],
  [35, 20, 25, 10, 5, 5],
);

function distinctSamples<T>(random: Random, sampler: WeightedSampler<T>, count: number): T[] {
  const samples = new Set<T>();
  for (let attempt = 0; samples.size < count && attempt < 20; attempt++) samples.add(sampler.sample(random));
  return [...samples];
}

function filters(random: Random): Filters {
  const kinds = distinctSamples(random, filterKindMix, random.int(1, 3));
  const categories = kinds.includes('category')
    ? distinctSamples(random, model.categories, random.chance(0.8) ? 1 : 2)
    : [];
  const result: { -readonly [K in keyof Filters]: Filters[K] } = {};
  if (categories.length > 0) result.categories = categories.map((category) => category.path);
  if (kinds.includes('attribute')) {
    const name = random.pick(categories[0]?.attributes ?? facetAttributes);
    result.attributes = { [name]: distinctSamples(random, model.attributeValues[name], random.int(1, 2)) };
  }
  if (kinds.includes('price')) {
    const from = random.pick([0, 1_000, 2_500, 5_000, 10_000]);
    if (from > 0) result.priceMin = from;
    if (random.chance(0.7)) result.priceMax = from + random.pick([2_500, 5_000, 10_000, 50_000]);
  }
  if (kinds.includes('inStock')) result.inStock = true;
  if (kinds.includes('minRating')) result.minRating = random.pick([3, 3.5, 4, 4.5]);
  if (kinds.includes('currency')) result.currency = 'EUR';
  return result;
}

const textSorts = new WeightedSampler<SearchSort>(
  ['relevance', 'price_asc', 'price_desc', 'newest', 'rating'],
  [60, 15, 5, 10, 10],
);
const browseSorts = new WeightedSampler<SearchSort>(
  ['newest', 'price_asc', 'price_desc', 'rating'],
  [40, 30, 10, 20],
);

/**
 * A deterministic mix of first-page searches: free text (plain, with the last word cut short, or
 * with a typo) or browsing without text, each with one to three filters and a sort.
 */
export function generateQueries(count: number, seed = 2): GeneratedQuery[] {
  const random = new Random(seed);
  return Array.from({ length: count }, () => {
    const kind = queryKindMix.sample(random);
    const text = kind === 'browse' ? {} : { text: queryText(random, kind) };
    const sort = (kind === 'browse' ? browseSorts : textSorts).sample(random);
    return { kind, query: { ...text, ...filters(random), sort, limit: 20 } };
  });
}
