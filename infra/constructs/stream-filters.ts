import { FilterRule } from 'aws-cdk-lib/aws-lambda';

/** The image of a stream record an entity filter looks at: an insert has only a new one, a delete an old one. */
export type StreamImage = 'NewImage' | 'OldImage';

/** Which of the table's changes a consumer takes: those of `entities` seen in one of `images`. */
export interface TableChangeSelection {
  readonly entities: readonly string[];
  readonly images: readonly StreamImage[];
}

/** The Lambda event filter pattern taking the records whose `entity` in `image` is one of `entities`. */
export const entityPattern = (image: StreamImage, entities: readonly string[]) => ({
  dynamodb: { [image]: { entity: { S: FilterRule.or(...entities) } } },
});

/** A selection's filter patterns, one per image. */
export const selectionPatterns = ({ entities, images }: TableChangeSelection) =>
  images.map((image) => entityPattern(image, entities));
