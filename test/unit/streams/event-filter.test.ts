import { describe, expect, it } from 'vitest';
import {
  type EventPattern,
  eventPatternSchema,
  matchesAnyPattern,
  passesFilters,
  patternMatches,
} from '#shared/streams/event-filter.ts';

const listingChange = { eventName: 'MODIFY', dynamodb: { NewImage: { entity: { S: 'Listing' } } } };
const orderInsert = { eventName: 'INSERT', dynamodb: { NewImage: { entity: { S: 'Order' } } } };
const listingDelete = { eventName: 'REMOVE', dynamodb: { OldImage: { entity: { S: 'Listing' } } } };

describe('Lambda event filtering', () => {
  it('passes a record any filter matches, as the template declares them', () => {
    const criteria = {
      Filters: [
        { Pattern: JSON.stringify({ dynamodb: { NewImage: { entity: { S: ['Listing'] } } } }) },
        { Pattern: JSON.stringify({ dynamodb: { OldImage: { entity: { S: ['Listing'] } } } }) },
      ],
    };
    expect(passesFilters(criteria, listingChange)).toBe(true);
    expect(passesFilters(criteria, listingDelete)).toBe(true);
    expect(passesFilters(criteria, orderInsert)).toBe(false);
  });

  it('passes everything without filters', () => {
    expect(passesFilters(undefined, orderInsert)).toBe(true);
    expect(passesFilters({ Filters: [] }, orderInsert)).toBe(true);
  });

  it('matches prefixes, existence, anything-but and values inside lists', () => {
    expect(patternMatches({ eventName: [{ prefix: 'INS' }] }, orderInsert)).toBe(true);
    expect(patternMatches({ dynamodb: { OldImage: [{ exists: false }] } }, orderInsert)).toBe(true);
    expect(patternMatches({ dynamodb: { OldImage: [{ exists: true }] } }, orderInsert)).toBe(false);
    expect(patternMatches({ eventName: [{ 'anything-but': ['REMOVE'] }] }, listingDelete)).toBe(false);
    expect(patternMatches({ tags: ['b'] }, { tags: ['a', 'b'] })).toBe(true);
    expect(patternMatches({ missing: ['x'] }, {})).toBe(false);
  });

  it('matches a record any of a list of patterns matches, and none with no pattern', () => {
    const listing: EventPattern[] = [
      { dynamodb: { NewImage: { entity: { S: ['Listing'] } } } },
      { dynamodb: { OldImage: { entity: { S: ['Listing'] } } } },
    ];
    expect(matchesAnyPattern(listing, listingDelete)).toBe(true);
    expect(matchesAnyPattern(listing, orderInsert)).toBe(false);
    expect(matchesAnyPattern([], orderInsert)).toBe(false);
  });

  it('checks a pattern given as configuration: only the conditions it supports, in lists', () => {
    const pattern = {
      eventName: ['INSERT', { 'anything-but': ['REMOVE'] }],
      dynamodb: { NewImage: { entity: { S: [{ prefix: 'Ord' }] } }, OldImage: [{ exists: false }] },
      count: [1, null, true],
    };
    expect(eventPatternSchema.parse(pattern)).toEqual(pattern);
    expect(eventPatternSchema.safeParse({ eventName: 'INSERT' }).success).toBe(false);
    expect(eventPatternSchema.safeParse({ eventName: [{ suffix: 'RT' }] }).success).toBe(false);
    expect(eventPatternSchema.safeParse({ eventName: [{ prefix: 'IN', exists: true }] }).success).toBe(false);
    expect(eventPatternSchema.safeParse(['INSERT']).success).toBe(false);
  });
});
