import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineEntity, EntityDecodeError } from '#shared/store/entities/entity.ts';

const parcel = defineEntity<{ readonly parcelId: string; readonly weight: number; readonly note?: string }>({
  name: 'Parcel',
  version: 1,
  schema: z.object({ parcelId: z.string(), weight: z.number(), note: z.string().optional() }),
  keys: [{ PK: 'PARCEL#<parcelId>', SK: 'PARCEL' }],
});
const key = { PK: 'PARCEL#p1', SK: 'PARCEL' };

describe('an entity', () => {
  it('writes its keys, its marker and its schema version with every item', () => {
    expect(parcel.item(key, { parcelId: 'p1', weight: 3 })).toEqual({
      ...key,
      entity: 'Parcel',
      schemaVersion: 1,
      parcelId: 'p1',
      weight: 3,
    });
  });

  it('decodes an item to its own attributes, without keys, marker or version', () => {
    const item = { ...parcel.item(key, { parcelId: 'p1', weight: 3 }), GSI1PK: 'X', GSI1SK: 'Y' };
    expect(parcel.decode(item)).toEqual({ parcelId: 'p1', weight: 3 });
  });

  it('reads items written before schema versions as version 1', () => {
    expect(parcel.decode({ ...key, entity: 'Parcel', parcelId: 'p1', weight: 3, note: 'fragile' })).toEqual({
      parcelId: 'p1',
      weight: 3,
      note: 'fragile',
    });
  });

  it('fails loudly, naming the entity, the key and what is wrong, on an item it does not accept', () => {
    const decode = () => parcel.decode({ ...key, entity: 'Parcel', parcelId: 'p1', weight: 'heavy' });
    expect(decode).toThrow(EntityDecodeError);
    expect(decode).toThrow(/Cannot decode Parcel item \(PK PARCEL#p1, SK PARCEL\): weight: /);
  });

  it('refuses an item of another kind or of a schema version it does not know', () => {
    expect(() => parcel.decode({ ...key, entity: 'Letter', parcelId: 'p1', weight: 3 })).toThrow(
      /Cannot decode Parcel item .*it is a Letter item/,
    );
    expect(() =>
      parcel.decode({ ...key, entity: 'Parcel', schemaVersion: 2, parcelId: 'p1', weight: 3 }),
    ).toThrow(/schema version 2, this code reads 1/);
  });
});
