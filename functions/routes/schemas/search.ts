import * as z from 'zod';
import { deferred } from '#shared/deferred-schema.ts';
import { maxAmount } from '#shared/domain/money.ts';
import { component } from '#shared/http/component.ts';
import { commaList, decimalParam, pageLimitParam, wholeNumberParam } from '#shared/http/query-params.ts';
import { searchSorts } from '#shared/search/port.ts';
import { attributeNameSchema, categorySchema, currencySchema, moneySchema } from './catalog.ts';
import { sellerIdSchema } from './sellers.ts';

const attributeFilter = () =>
  z
    .string()
    .regex(/^[^:]+:.+$/, 'attribute filters are name:value, e.g. color:red')
    .transform((pair) => {
      const separator = pair.indexOf(':');
      return { name: pair.slice(0, separator), value: pair.slice(separator + 1) };
    })
    .pipe(z.object({ name: attributeNameSchema, value: z.string().max(200) }));

const amount = () => wholeNumberParam.pipe(z.number().max(maxAmount));

export const searchQuerySchema = deferred(() =>
  z
    .strictObject({
      q: z
        .string()
        .trim()
        .max(200)
        .optional()
        .meta({ description: 'Words to find; the last may be a prefix.' }),
      category: commaList(categorySchema).optional().meta({
        description:
          'Any of these categories, each with the categories below it (medical takes medical/insoles), comma-separated.',
      }),
      currency: currencySchema.optional(),
      price_min: amount().optional().meta({ description: 'Minor units, inclusive; needs currency.' }),
      price_max: amount().optional().meta({ description: 'Minor units, inclusive; needs currency.' }),
      attr: commaList(attributeFilter()).optional().meta({
        description: 'name:value pairs: any value of one name, all names, e.g. color:red,color:blue,size:M',
      }),
      seller: sellerIdSchema.optional(),
      min_rating: decimalParam.pipe(z.number().max(5)).optional(),
      in_stock: z
        .enum(['true', 'false'])
        .transform((flag) => flag === 'true')
        .optional(),
      sort: z.enum(searchSorts).default('relevance'),
      limit: pageLimitParam,
      cursor: z.string().max(2048).optional(),
    })
    .refine((query) => query.currency || (query.price_min === undefined && query.price_max === undefined), {
      path: ['currency'],
      message: 'is required with price_min or price_max: prices of different currencies do not compare',
    })
    .refine((query) => (query.price_min ?? 0) <= (query.price_max ?? maxAmount), {
      path: ['price_min'],
      message: 'must not exceed price_max',
    }),
);

const facetCount = () => z.object({ value: z.string(), count: z.number().int() });

export const searchResultView = component('SearchResult', () =>
  z.object({
    items: z.array(
      z.object({
        id: z.string(),
        sellerId: z.string(),
        title: z.string(),
        description: z.string(),
        category: z.string(),
        price: moneySchema,
        stock: z.number().int(),
        attributes: z.record(z.string(), z.string()),
        rating: z.number().optional(),
        publishedAt: z.iso.datetime(),
      }),
    ),
    total: z.number().int(),
    facets: z.object({
      categories: z.array(facetCount()),
      priceBuckets: z.array(
        z.object({ from: z.number().int(), to: z.number().int().optional(), count: z.number().int() }),
      ),
      attributes: z.record(z.string(), z.array(facetCount())),
    }),
    nextCursor: z.string().optional(),
  }),
);
