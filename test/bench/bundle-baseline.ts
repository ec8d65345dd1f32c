import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The least a function of this stack does at init: the bundle benchmark's baseline. */
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export async function handler(): Promise<string | undefined> {
  return documentClient.config.region();
}
