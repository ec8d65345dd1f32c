import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { searchIndexerHandler } from '#functions/routes.ts';
import { listingEntity } from '#shared/store/table.ts';
import type { OperatorAlerts } from './alerts.ts';
import { HandlerFunction } from './handler-function.ts';
import type { SearchDomain } from './search.ts';

export interface SearchIndexerProps {
  readonly table: Table;
  readonly search: SearchDomain;
  readonly alerts: OperatorAlerts;
}

const listingImage = (image: 'NewImage' | 'OldImage') =>
  FilterCriteria.filter({ dynamodb: { [image]: { entity: { S: FilterRule.isEqual(listingEntity) } } } });

/**
 * Feeds the search domain from the table's stream: only listing items reach the function, failing
 * batches are split and retried, and records that still fail land in a dead-letter queue that alarms.
 */
export class SearchIndexer extends Construct {
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, { table, search, alerts }: SearchIndexerProps) {
    super(scope, id);
    const { function: indexer } = new HandlerFunction(this, 'Indexer', { handler: searchIndexerHandler });
    search.allowIndexing(indexer);

    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter destination of the indexer; its messages are inspected, not retried.',
    });

    indexer.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        onFailure: new SqsDlq(this.deadLetters),
        // A delete only has an old image, an insert only a new one.
        filters: [listingImage('NewImage'), listingImage('OldImage')],
      }),
    );

    if (indexer.role) {
      Validations.of(indexer.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'dynamodb:ListStreams, granted by the stream event source, supports no resource-level permission; ' +
          "reading records is limited to this table's stream.",
      });
    }

    const deadLettersAlarm = new Alarm(this, 'DeadLettersAlarm', {
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'Listing changes failed to reach the search index. Fix the cause, then rebuild it with npm run reindex.',
    });
    alerts.notify(deadLettersAlarm);
  }
}
