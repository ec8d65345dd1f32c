import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { tableChangeProjections } from '#functions/routes.ts';
import { TableChangeConsumer } from './table-change-consumer.ts';

export interface MarketplaceMetricsProps {
  readonly table: Table;
}

/**
 * The projector of the table's changes into numbers: the operator metrics' period items, and each
 * seller's dashboard and quality KPIs, with the quality rules evaluated as they change (the routes
 * reading them are in the route table).
 */
export class MarketplaceMetrics extends Construct {
  readonly projector: TableChangeConsumer;

  constructor(scope: Construct, id: string, { table }: MarketplaceMetricsProps) {
    super(scope, id);
    this.projector = new TableChangeConsumer(this, 'Projector', {
      handler: tableChangeProjections.handler,
      entities: tableChangeProjections.entities,
      // Ledger transactions are inserted; orders, payout lines and reviews inserted and changed: all
      // have a new image.
      images: ['NewImage'],
      // A batch's records share their days' items: larger batches make fewer, larger transactions.
      batchSize: 100,
      tableGrant: { table, actions: tableChangeProjections.uses.table },
    });
  }
}
