import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handledStripeEventTypes } from '#shared/payments/stripe-event-types.ts';

describe('the Stripe event types the marketplace acts on', () => {
  it('are exactly those docs/deploy.md tells operators to send', () => {
    const deploy = readFileSync(new URL('../../docs/deploy.md', import.meta.url), 'utf8');
    const rows = deploy.split('\n').filter((line) => /^\| Events on \*\*/.test(line));
    const named = rows.flatMap((row) => [...row.matchAll(/`([a-z_.]+)`/g)].map((match) => match[1]));
    expect(rows).toHaveLength(2);
    expect([...named].sort()).toEqual([...handledStripeEventTypes].sort());
  });
});
