import { randomUUID } from 'node:crypto';
import { inject, vi } from 'vitest';
import { ensureTable } from '#infra/local/create-table.ts';
import { createDocumentClient } from '#shared/store/client.ts';

/** A fresh table in the shared DynamoDB Local, so test files never see each other's items. */
export async function freshTable() {
  const client = createDocumentClient(inject('dynamoDbEndpoint'));
  const tableName = `test-${randomUUID()}`;
  await ensureTable(client, tableName);
  return { client, tableName };
}

/**
 * Points the functions' own composition root (made at first use) at `tableName`, as the template
 * would configure a function: for tests of use cases that reach the table through it.
 */
export function functionsUseTable(tableName: string): void {
  vi.stubEnv('TABLE_NAME', tableName);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', inject('dynamoDbEndpoint'));
  vi.stubEnv('AWS_REGION', 'local');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
}
