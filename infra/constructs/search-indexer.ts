import { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { searchIndexerHandler } from '#functions/routes.ts';
import { entities } from '#shared/store/table.ts';
import type { OperatorAlerts } from './alerts.ts';
import type { SearchDomain } from './search.ts';
import { StreamConsumer } from './stream-consumer.ts';

export interface SearchIndexerProps {
  readonly table: Table;
  readonly search: SearchDomain;
  readonly alerts: OperatorAlerts;
}

/** Feeds the search domain with the listing changes on the table's stream. */
export class SearchIndexer extends Construct {
  readonly consumer: StreamConsumer;

  constructor(scope: Construct, id: string, { table, search, alerts }: SearchIndexerProps) {
    super(scope, id);
    this.consumer = new StreamConsumer(this, 'Indexer', {
      handler: searchIndexerHandler,
      table,
      entities: [entities.listing],
      // A delete only has an old image, an insert only a new one.
      images: ['NewImage', 'OldImage'],
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(1),
      alerts,
      deadLettersAlarmDescription:
        'Listing changes failed to reach the search index. Fix the cause, then rebuild it with npm run reindex.',
    });
    search.allowIndexing(this.consumer.function);
  }
}
