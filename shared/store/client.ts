import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requiredVariable, resourceVariables } from '#shared/config/function-resources.ts';

/**
 * The document client for the marketplace table, as the functions make it: the SDK's endpoint
 * (`AWS_ENDPOINT_URL_DYNAMODB` locally) and credentials (the execution role in Lambda). The local
 * stack's own tools pass DynamoDB Local's `endpoint`.
 */
export function createDocumentClient(endpoint?: string): DynamoDBDocumentClient {
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
