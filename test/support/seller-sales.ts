import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Sale } from '#shared/domain/sales-volume.ts';
import { SellerSalesStore } from '#shared/store/seller-sales-store.ts';

/** Records a captured sale in a transaction of its own, as a capture's transaction records it. */
export async function recordSale(client: DynamoDBDocumentClient, tableName: string, sale: Sale) {
  const items = await new SellerSalesStore(client, tableName).saleWrites(sale);
  await client.send(new TransactWriteCommand({ TransactItems: items }));
}

/** Records a refund or lost chargeback in a transaction of its own, as its ledger posting's transaction records it. */
export async function recordReturn(client: DynamoDBDocumentClient, tableName: string, sale: Sale) {
  const items = await new SellerSalesStore(client, tableName).returnWrites(sale);
  await client.send(new TransactWriteCommand({ TransactItems: items }));
}
