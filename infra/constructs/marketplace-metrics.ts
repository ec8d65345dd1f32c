import { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { metricsProjector } from '#functions/routes.ts';
import type { OperatorAlerts } from './alerts.ts';
import { StreamConsumer } from './stream-consumer.ts';

export interface MarketplaceMetricsProps {
  readonly table: Table;
  readonly alerts: OperatorAlerts;
}

/**
 * The operator metrics' projector: ledger postings, order changes and payout lines from the table's
 * stream, added to the metrics' period items (the route reading them is in the route table).
 */
export class MarketplaceMetrics extends Construct {
  readonly projector: StreamConsumer;

  constructor(scope: Construct, id: string, { table, alerts }: MarketplaceMetricsProps) {
    super(scope, id);
    this.projector = new StreamConsumer(this, 'Projector', {
      handler: metricsProjector.handler,
      table,
      entities: metricsProjector.entities,
      // Ledger transactions are inserted, orders and payout lines inserted and changed: all have a new image.
      images: ['NewImage'],
      // A batch's records share their days' items: larger batches make fewer, larger transactions.
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(1),
      tableGrant: { table, actions: metricsProjector.uses.table },
      alerts,
      deadLettersAlarmDescription:
        'Ledger postings, order changes or payouts that did not reach the operator metrics after every ' +
        'retry: GET /admin/metrics undercounts their days. Each message names a stream shard and ' +
        'sequence-number range; once the cause is fixed, invoke the metrics projector with those ' +
        'records again (kept 24 hours): records counted already add nothing.',
    });
  }
}
