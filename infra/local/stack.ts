import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { routeList } from '#functions/routes.ts';
import { corsPolicy } from '#shared/http/cors.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { ensureTable } from './create-table.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { createGateway } from './gateway.ts';
import { createLocalIdentity, type LocalIdentity, loadOrCreateSigningKey } from './identity.ts';

export interface LocalStackOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly dynamoDbPort: number;
  /** Keeps the token signing key and the table's data here; omit to keep both in memory. */
  readonly dataDir?: string;
  /** Keeps the table in memory even when there is a data directory. */
  readonly inMemory?: boolean;
  readonly tableName: string;
  /** Origins browsers may call the API from; `*` for any. */
  readonly corsAllowOrigins: readonly string[];
}

export interface LocalStack {
  readonly url: string;
  readonly identity: LocalIdentity;
  stop(): Promise<void>;
}

export const signingKeyFile = (dataDir: string) => join(dataDir, 'local-identity-key.json');

/** DynamoDB Local, the table, the local identity provider and the gateway: the marketplace on one machine. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { port, dynamoDbPort, dataDir, inMemory, tableName, corsAllowOrigins } = options;
  const dynamoDb = await startDynamoDbLocal({
    port: dynamoDbPort,
    ...(dataDir && !inMemory ? { dataDir: join(dataDir, 'dynamodb') } : {}),
  });
  try {
    const client = createDocumentClient(dynamoDb.endpoint);
    await ensureTable(client, tableName);
    client.destroy();
    // The handlers read their configuration from the environment, as in Lambda.
    process.env.TABLE_NAME = tableName;
    process.env.DYNAMODB_ENDPOINT = dynamoDb.endpoint;
    const identity = await createLocalIdentity(
      dataDir ? await loadOrCreateSigningKey(signingKeyFile(dataDir)) : undefined,
    );
    const gateway = createGateway(
      identity,
      corsPolicy(
        corsAllowOrigins,
        routeList.map((route) => route.method),
      ),
    );
    await new Promise<void>((resolve, reject) =>
      gateway.once('error', reject).listen(port, '127.0.0.1', resolve),
    );
    const { port: boundPort } = gateway.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${boundPort}`,
      identity,
      async stop() {
        await new Promise<void>((resolve) => gateway.close(() => resolve()));
        await dynamoDb.stop();
      },
    };
  } catch (error) {
    await dynamoDb.stop();
    throw error;
  }
}
