import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { ensureTable } from '#infra/local/create-table.ts';
import { createDocumentClient } from '#shared/store/client.ts';

/** A fresh table in the shared DynamoDB Local, so test files never see each other's items. */
export async function freshTable() {
  const client = createDocumentClient(inject('dynamoDbEndpoint'));
  const tableName = `test-${randomUUID()}`;
  await ensureTable(client, tableName);
  return { client, tableName };
}
