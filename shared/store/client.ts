import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requiredVariable, resourceVariables } from '#shared/config/function-resources.ts';

/**
 * The document client for the marketplace table. In Lambda it uses the execution role; the local
 * stack and the tests point it at DynamoDB Local with DYNAMODB_ENDPOINT.
 */
export function createDocumentClient(endpoint = process.env.DYNAMODB_ENDPOINT): DynamoDBDocumentClient {
  const client = new DynamoDBClient(endpoint ? localDynamoDbConfig(endpoint) : {});
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** Client settings for DynamoDB Local, which accepts any credentials. */
export const localDynamoDbConfig = (endpoint: string) => ({
  endpoint,
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

export const tableName = (): string => requiredVariable(resourceVariables.table);
