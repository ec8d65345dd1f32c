import * as z from 'zod';
import { deferred } from '../deferred-schema.ts';

/**
 * Query parameters arrive as strings. These accept plain decimal digits only, so `""`, `" "` or
 * `0x10` are errors rather than 0 or 16, as `Number()` would make them.
 */
export const wholeNumberParam = deferred(() =>
  z
    .string()
    .regex(/^\d{1,15}$/, 'must be a whole number')
    .transform(Number),
);

export const decimalParam = deferred(() =>
  z
    .string()
    .regex(/^\d{1,15}(\.\d{1,6})?$/, 'must be a decimal number, e.g. 4.5')
    .transform(Number),
);

export const pageLimitParam = deferred(() =>
  wholeNumberParam.pipe(z.number().int().min(1).max(100)).default(20),
);

/** API Gateway joins repeated query parameters with commas, so `a=x&a=y` and `a=x,y` mean the same. */
export const commaList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .max(2000)
    .transform((list) =>
      list
        .split(',')
        .map((value) => value.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1).max(20));
