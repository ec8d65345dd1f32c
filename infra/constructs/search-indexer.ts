import { Construct } from 'constructs';
import { searchIndexerHandler } from '#functions/routes.ts';
import { entities } from '#shared/store/table.ts';
import type { SearchDomain } from './search.ts';
import { TableChangeConsumer } from './table-change-consumer.ts';

export interface SearchIndexerProps {
  readonly search: SearchDomain;
}

/** Feeds the search domain with the listing changes on the table's stream. */
export class SearchIndexer extends Construct {
  readonly consumer: TableChangeConsumer;

  constructor(scope: Construct, id: string, { search }: SearchIndexerProps) {
    super(scope, id);
    this.consumer = new TableChangeConsumer(this, 'Indexer', {
      handler: searchIndexerHandler,
      entities: [entities.listing],
      // A delete only has an old image, an insert only a new one.
      images: ['NewImage', 'OldImage'],
      batchSize: 100,
    });
    search.allowIndexing(this.consumer.function);
  }
}
