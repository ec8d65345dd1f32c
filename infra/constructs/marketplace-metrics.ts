import { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { tableChangeProjections } from '#functions/routes.ts';
import type { OperatorAlerts } from './alerts.ts';
import { StreamConsumer } from './stream-consumer.ts';

export interface MarketplaceMetricsProps {
  readonly table: Table;
  readonly alerts: OperatorAlerts;
}

/**
 * The projector of the table's changes into numbers: the operator metrics' period items, and each
 * seller's dashboard and quality KPIs, with the quality rules evaluated as they change (the routes
 * reading them are in the route table).
 */
export class MarketplaceMetrics extends Construct {
  readonly projector: StreamConsumer;

  constructor(scope: Construct, id: string, { table, alerts }: MarketplaceMetricsProps) {
    super(scope, id);
    this.projector = new StreamConsumer(this, 'Projector', {
      handler: tableChangeProjections.handler,
      table,
      entities: tableChangeProjections.entities,
      // Ledger transactions are inserted; orders, payout lines and reviews inserted and changed: all
      // have a new image.
      images: ['NewImage'],
      // A batch's records share their days' items: larger batches make fewer, larger transactions.
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(1),
      tableGrant: { table, actions: tableChangeProjections.uses.table },
      alerts,
      deadLettersAlarmDescription:
        'Ledger postings, order, payout or review changes that did not reach the operator metrics or the ' +
        "sellers' dashboards and quality KPIs after every retry, or whose sellers were not evaluated " +
        'against the quality rules: GET /admin/metrics and the dashboards undercount their days. Each ' +
        'message names a stream shard and sequence-number range; once the cause is fixed, invoke the ' +
        'projector with those records again (kept 24 hours): records counted already add nothing, and ' +
        'evaluating again is harmless.',
    });
  }
}
