import { describe, expect, it } from 'vitest';
import {
  type ListedProvider,
  partiesAwaitingConsent,
  providersNamed,
} from '#shared/domain/provider-consent.ts';

const dora = { party: 'designer', userId: 'dora', shareBps: 3000 };
const max = { party: 'manufacturer', userId: 'max', shareBps: 5000 };

describe('providersNamed', () => {
  it('asks every provider named for the first time, but not the seller naming themselves', () => {
    expect(providersNamed('sara', [], [dora, { ...max, userId: 'sara' }])).toEqual([
      { ...dora, consent: 'pending' },
      { ...max, userId: 'sara', consent: 'accepted' },
    ]);
  });

  it('keeps an acceptance only for the same party, user and share', () => {
    const current: ListedProvider[] = [
      { ...dora, consent: 'accepted' },
      { ...max, consent: 'accepted' },
    ];
    expect(
      providersNamed('sara', current, [dora, { ...max, shareBps: 5001 }]).map((provider) => provider.consent),
    ).toEqual(['accepted', 'pending']);
    expect(providersNamed('sara', current, [{ ...dora, party: 'manufacturer' }])[0]?.consent).toBe('pending');
    expect(providersNamed('sara', current, [{ ...dora, userId: 'eve' }])[0]?.consent).toBe('pending');
  });

  it('asks again a provider who declined', () => {
    expect(providersNamed('sara', [{ ...dora, consent: 'declined' }], [dora])[0]?.consent).toBe('pending');
  });
});

it('awaits every provider who has not accepted', () => {
  expect(
    partiesAwaitingConsent([
      { ...dora, consent: 'declined' },
      { ...max, consent: 'accepted' },
      { party: 'finisher', userId: 'fin', shareBps: 0, consent: 'pending' },
    ]),
  ).toEqual(['designer', 'finisher']);
});
