import { invalidParameter } from './errors.ts';
import type { FormHash, FormValue } from './form.ts';

/** The items of a form array (`expand[0]=…&expand[1]=…`) in index order. */
export function formList(value: FormValue | undefined, param: string): string[] {
  if (value === undefined || value === '') return [];
  if (typeof value === 'string') throw invalidParameter(`Invalid array: ${param}`, param);
  return Object.keys(value)
    .sort((a, b) => Number(a) - Number(b))
    .map((index) => {
      const item = value[index];
      if (typeof item !== 'string') throw invalidParameter(`Invalid array: ${param}`, `${param}[${index}]`);
      return item;
    });
}

const metadataLimits = { keys: 50, keyLength: 40, valueLength: 500 };

const missing = (name: string) =>
  invalidParameter(`Missing required param: ${name}.`, name, 'parameter_missing');

/** Refuses parameters the endpoint does not know, as Stripe does; `expand` is known everywhere. */
export function refuseUnknownParameters(form: FormHash, accepted: readonly string[]): void {
  for (const name of Object.keys(form)) {
    if (name !== 'expand' && !accepted.includes(name)) {
      throw invalidParameter(`Received unknown parameter: ${name}`, name, 'parameter_unknown');
    }
  }
}

/** One endpoint's parameters, read and validated the way Stripe does. */
export class Params {
  constructor(
    private readonly form: FormHash,
    accepted: readonly string[],
  ) {
    refuseUnknownParameters(form, accepted);
  }

  /** A string parameter; an empty value means unset, as it does for Stripe. */
  string(name: string): string | undefined {
    const value = this.form[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw invalidParameter(`Invalid string: ${name}`, name);
    return value;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw missing(name);
    return value;
  }

  integer(name: string, minimum: number): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (!/^-?\d+$/.test(text)) {
      throw invalidParameter(`Invalid integer: ${text}`, name, 'parameter_invalid_integer');
    }
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < minimum) {
      throw invalidParameter(
        `This value must be greater than or equal to ${minimum}.`,
        name,
        'parameter_invalid_integer',
      );
    }
    return value;
  }

  requiredInteger(name: string, minimum: number): number {
    const value = this.integer(name, minimum);
    if (value === undefined) throw missing(name);
    return value;
  }

  boolean(name: string): boolean | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (text !== 'true' && text !== 'false') throw invalidParameter(`Invalid boolean: ${text}`, name);
    return text === 'true';
  }

  oneOf<const T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(text)) {
      throw invalidParameter(`Invalid ${name}: must be one of ${allowed.join(', ')}`, name);
    }
    return text as T;
  }

  requiredOneOf<const T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.oneOf(name, allowed);
    if (value === undefined) throw missing(name);
    return value;
  }

  /** An ISO 4217 code, in the lower case Stripe returns. */
  requiredCurrency(name = 'currency'): string {
    const code = this.requiredString(name);
    if (!/^[a-zA-Z]{3}$/.test(code)) throw invalidParameter(`Invalid currency: ${code}`, name);
    return code.toLowerCase();
  }

  hash(name: string): FormHash | undefined {
    const value = this.form[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value === 'string') throw invalidParameter(`Invalid hash: ${name}`, name);
    return value;
  }

  /** `metadata[key]=value` pairs, within Stripe's limits (50 keys, 40-character keys, 500-character values). */
  metadata(): Record<string, string> {
    const metadata: Record<string, string> = {};
    const entries = Object.entries(this.hash('metadata') ?? {});
    if (entries.length > metadataLimits.keys) {
      throw invalidParameter(`Metadata can have at most ${metadataLimits.keys} keys.`, 'metadata');
    }
    for (const [key, value] of entries) {
      const param = `metadata[${key}]`;
      if (typeof value !== 'string') throw invalidParameter(`Invalid string: ${param}`, param);
      if (key.length > metadataLimits.keyLength || value.length > metadataLimits.valueLength) {
        throw invalidParameter(
          `Metadata keys are at most ${metadataLimits.keyLength} characters and values at most ${metadataLimits.valueLength}.`,
          param,
        );
      }
      if (value !== '') metadata[key] = value;
    }
    return metadata;
  }
}
