import { invalidParameter } from './errors.ts';

/**
 * A decoded `application/x-www-form-urlencoded` body as the Stripe SDK writes it: nested hashes
 * as `metadata[order]=…`, arrays as `expand[0]=…` (or `expand[]=…`), every leaf a string.
 */
export interface FormHash {
  [key: string]: FormValue;
}
export type FormValue = string | FormHash;

/** `capabilities[transfers][requested]` → `['capabilities', 'transfers', 'requested']`. */
function keyPath(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const path = [key.slice(0, open)];
  for (const match of key.slice(open).matchAll(/\[([^\]]*)\]/g)) path.push(match[1] ?? '');
  return path;
}

function assign(root: FormHash, key: string, value: string): void {
  const path = keyPath(key);
  let node = root;
  for (const [index, rawSegment] of path.entries()) {
    // `expand[]=a&expand[]=b` numbers its items the way `expand[0]=a&expand[1]=b` does.
    const segment = rawSegment === '' ? String(Object.keys(node).length) : rawSegment;
    if (index === path.length - 1) {
      node[segment] = value;
      return;
    }
    const child = node[segment] ?? {};
    if (typeof child === 'string') throw invalidParameter(`Invalid hash: ${key}`, key);
    node[segment] = child;
    node = child;
  }
}

export function parseForm(encoded: string): FormHash {
  const form: FormHash = {};
  for (const [key, value] of new URLSearchParams(encoded)) assign(form, key, value);
  return form;
}

/** The same text for the same parameters whatever order they came in: what idempotency compares. */
export function canonicalForm(value: FormValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  const entries = Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalForm(value[key] ?? '')}`);
  return `{${entries.join(',')}}`;
}
