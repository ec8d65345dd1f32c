import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { table as tableDefinition } from '#shared/store/table.ts';
import { dataRemovalPolicy } from './removal.ts';

export interface MarketplaceTableProps {
  /** Blocks deletion of the table and keeps it when the stack is deleted or the table replaced. */
  readonly deletionProtection: boolean;
}

const stringKey = (name: string) => ({ name, type: AttributeType.STRING });

/** The single table, built from the definition in shared/store/table.ts that the local stack also uses. */
export class MarketplaceTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: MarketplaceTableProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: stringKey(tableDefinition.partitionKey),
      sortKey: stringKey(tableDefinition.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      stream: StreamViewType[tableDefinition.stream],
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: props.deletionProtection,
      removalPolicy: dataRemovalPolicy(props.deletionProtection),
    });
    for (const index of tableDefinition.globalIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
      });
    }
  }
}
