import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localAccount } from '#infra/local/aws/authorization.ts';
import { requiredPermissions, startDynamoDbGateway } from '#infra/local/aws/dynamodb-gateway.ts';
import type { LocalEndpoint } from '#infra/local/aws/json-protocol.ts';
import { dynamoDbStreamArn, dynamoDbTableArn } from '#infra/local/aws/resource-kinds.ts';
import { functionCredentials, functionPolicies, policyAuthorizer } from '#infra/local/aws/role-policies.ts';
import {
  type CloudFormationTemplate,
  createTemplateReferences,
} from '#infra/local/aws/template-references.ts';
import { synthesize, templateResources } from '../infra/template.ts';
import { freshTable } from '../support/table.ts';

let gateway: LocalEndpoint;
let admin: DynamoDBDocumentClient;
let tableName: string;
let functionServing: (routeKey: string) => string;
let streamReaderId: string;
const clients: { destroy(): void }[] = [];

beforeAll(async () => {
  const synthesized = synthesize({ deletionProtection: false, bundle: false });
  const resources = templateResources(synthesized);
  const [table] = resources.resourcesOfType('AWS::DynamoDB::Table');
  if (!table) throw new Error('No table in the template');
  ({ client: admin, tableName } = await freshTable());
  const template = synthesized.toJSON() as CloudFormationTemplate;
  const policies = functionPolicies(
    template,
    createTemplateReferences(template, { names: { [table[0]]: tableName } }),
  );
  functionServing = resources.functionServing;
  const [streamReader] = Object.entries(policies).find(([, statements]) =>
    statements.some((statement) => statement.actions?.includes('dynamodb:GetRecords')),
  ) ?? [''];
  streamReaderId = streamReader;
  gateway = await startDynamoDbGateway({
    target: inject('dynamoDbEndpoint'),
    authorize: policyAuthorizer(policies),
  });
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  admin?.destroy();
  await gateway?.stop();
});

function clientConfig(accessKeyId: string) {
  return {
    endpoint: gateway.url,
    region: localAccount.region,
    credentials: functionCredentials(accessKeyId),
  };
}

/** The document client a function creates, signing with the function's own access key. */
function documentClientOf(functionId: string): DynamoDBDocumentClient {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(functionId)));
  clients.push(client);
  return client;
}

const asRoute = (routeKey: string) => documentClientOf(functionServing(routeKey));

const adminGet = async (PK: string, SK: string) =>
  (await admin.send(new GetCommand({ TableName: tableName, Key: { PK, SK } }))).Item;

const accessDenied = (action: string) => ({
  name: 'AccessDeniedException',
  $metadata: expect.objectContaining({ httpStatusCode: 400 }),
  message: expect.stringContaining(`not authorized to perform: ${action}`),
});

describe('the DynamoDB gateway, checking each call against the signing function role policy', () => {
  it('forwards allowed calls to DynamoDB Local, whose data every access key shares', async () => {
    await admin.send(
      new PutCommand({ TableName: tableName, Item: { PK: 'SELLER#s1', SK: 'PROFILE', n: 1 } }),
    );
    const reader = asRoute('GET /sellers/{sellerId}');
    const { Item } = await reader.send(
      new GetCommand({ TableName: tableName, Key: { PK: 'SELLER#s1', SK: 'PROFILE' } }),
    );
    expect(Item).toEqual({ PK: 'SELLER#s1', SK: 'PROFILE', n: 1 });

    const writer = asRoute('PUT /sellers/me');
    await writer.send(new PutCommand({ TableName: tableName, Item: { PK: 'SELLER#s2', SK: 'PROFILE' } }));
    expect(await adminGet('SELLER#s2', 'PROFILE')).toEqual({ PK: 'SELLER#s2', SK: 'PROFILE' });
  });

  it('answers AccessDeniedException as DynamoDB does, and the call changes nothing', async () => {
    const lister = new DynamoDBClient(clientConfig(functionServing('GET /payout-runs')));
    clients.push(lister);
    const error = await lister
      .send(
        new GetItemCommand({ TableName: tableName, Key: { PK: { S: 'SELLER#s1' }, SK: { S: 'PROFILE' } } }),
      )
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject(accessDenied('dynamodb:GetItem'));
    expect((error as Error).name).toBe('AccessDeniedException');
    expect((error as Error).message).toContain(dynamoDbTableArn(tableName));

    const write = asRoute('GET /payout-runs').send(
      new PutCommand({ TableName: tableName, Item: { PK: 'RUN#denied', SK: 'RUN' } }),
    );
    await expect(write).rejects.toMatchObject(accessDenied('dynamodb:PutItem'));
    expect(await adminGet('RUN#denied', 'RUN')).toBeUndefined();
  });

  it('denies a transaction with one action the role lacks, and writes none of it', async () => {
    const writer = asRoute('PUT /sellers/me');
    const denied = writer.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName, Item: { PK: 'SELLER#t1', SK: 'PROFILE' } } },
          {
            ConditionCheck: {
              TableName: tableName,
              Key: { PK: 'SELLER#s1', SK: 'PROFILE' },
              ConditionExpression: 'attribute_exists(PK)',
            },
          },
        ],
      }),
    );
    await expect(denied).rejects.toMatchObject(accessDenied('dynamodb:ConditionCheckItem'));
    expect(await adminGet('SELLER#t1', 'PROFILE')).toBeUndefined();

    await writer.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName, Item: { PK: 'SELLER#t1', SK: 'PROFILE' } } },
          {
            Update: {
              TableName: tableName,
              Key: { PK: 'SELLER#s1', SK: 'PROFILE' },
              UpdateExpression: 'SET n = :n',
              ExpressionAttributeValues: { ':n': 2 },
            },
          },
        ],
      }),
    );
    expect(await adminGet('SELLER#t1', 'PROFILE')).toBeDefined();
    expect(await adminGet('SELLER#s1', 'PROFILE')).toMatchObject({ n: 2 });
  });

  it('checks a Query on an index against the index ARN', async () => {
    await admin.send(
      new PutCommand({ TableName: tableName, Item: { PK: 'RUN#1', SK: 'RUN', GSI1PK: 'RUNS', GSI1SK: '1' } }),
    );
    const query = new QueryCommand({
      TableName: tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': 'RUNS' },
    });
    const { Items } = await asRoute('GET /payout-runs').send(query);
    expect(Items?.map((item) => item.PK)).toEqual(['RUN#1']);
    await expect(asRoute('GET /sellers/{sellerId}').send(query)).rejects.toMatchObject({
      ...accessDenied('dynamodb:Query'),
      message: expect.stringContaining(`${dynamoDbTableArn(tableName)}/index/GSI1`),
    });
  });

  it('checks BatchGetItem on every table it reads', async () => {
    const batch = new BatchGetCommand({
      RequestItems: { [tableName]: { Keys: [{ PK: 'SELLER#s1', SK: 'PROFILE' }] } },
    });
    const { Responses } = await asRoute('POST /checkouts').send(batch);
    expect(Responses?.[tableName]).toHaveLength(1);
    await expect(asRoute('GET /orders/{orderId}').send(batch)).rejects.toMatchObject(
      accessDenied('dynamodb:BatchGetItem'),
    );
  });

  it("lets the stream consumer read the table's stream and denies the others", async () => {
    expect(streamReaderId).not.toBe('');
    const streams = new DynamoDBStreamsClient(clientConfig(streamReaderId));
    clients.push(streams);
    const { Streams } = await streams.send(new ListStreamsCommand({ TableName: tableName }));
    const StreamArn = Streams?.[0]?.StreamArn;
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn }));
    const ShardId = StreamDescription?.Shards?.[0]?.ShardId;
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
    expect(Records?.length).toBeGreaterThan(0);

    const outsider = new DynamoDBStreamsClient(clientConfig(functionServing('GET /payout-runs')));
    clients.push(outsider);
    await expect(outsider.send(new DescribeStreamCommand({ StreamArn }))).rejects.toMatchObject({
      ...accessDenied('dynamodb:DescribeStream'),
      message: expect.stringContaining(dynamoDbStreamArn(tableName)),
    });
    await expect(outsider.send(new GetRecordsCommand({ ShardIterator }))).rejects.toMatchObject(
      accessDenied('dynamodb:GetRecords'),
    );
  });

  it('denies callers whose access key names no function', async () => {
    await expect(
      documentClientOf('AKIAEXAMPLE').send(
        new GetCommand({ TableName: tableName, Key: { PK: 'SELLER#s1', SK: 'PROFILE' } }),
      ),
    ).rejects.toMatchObject(accessDenied('dynamodb:GetItem'));
  });
});

describe('the permissions a DynamoDB call needs', () => {
  const table = (name: string) => dynamoDbTableArn(name);

  it('needs, for a transaction, the action of each item on its table', () => {
    const items = [
      { Put: { TableName: 'a' } },
      { Update: { TableName: 'b' } },
      { Delete: { TableName: 'a' } },
      { ConditionCheck: { TableName: 'c' } },
    ];
    expect(requiredPermissions('TransactWriteItems', { TransactItems: items })).toEqual([
      { action: 'dynamodb:PutItem', resource: table('a') },
      { action: 'dynamodb:UpdateItem', resource: table('b') },
      { action: 'dynamodb:DeleteItem', resource: table('a') },
      { action: 'dynamodb:ConditionCheckItem', resource: table('c') },
    ]);
    expect(requiredPermissions('TransactGetItems', { TransactItems: [{ Get: { TableName: 'a' } }] })).toEqual(
      [{ action: 'dynamodb:GetItem', resource: table('a') }],
    );
  });

  it('maps DynamoDB Local ARNs to the local account and the template stream', () => {
    const localArn = 'arn:aws:dynamodb:ddblocal:000000000000:table/t';
    expect(requiredPermissions('DescribeTable', { TableName: localArn })).toEqual([
      { action: 'dynamodb:DescribeTable', resource: table('t') },
    ]);
    expect(
      requiredPermissions('GetRecords', { ShardIterator: `${localArn}/stream/2026-01-01T00:00:00.000|1|x` }),
    ).toEqual([{ action: 'dynamodb:GetRecords', resource: dynamoDbStreamArn('t') }]);
    expect(requiredPermissions('ListStreams', {})).toEqual([
      { action: 'dynamodb:ListStreams', resource: '*' },
    ]);
    expect(requiredPermissions('Scan', { TableName: 't', IndexName: 'i' })).toEqual([
      { action: 'dynamodb:Scan', resource: `${table('t')}/index/i` },
    ]);
    expect(requiredPermissions('BatchWriteItem', { RequestItems: { a: [], b: [] } })).toEqual([
      { action: 'dynamodb:BatchWriteItem', resource: table('a') },
      { action: 'dynamodb:BatchWriteItem', resource: table('b') },
    ]);
  });
});
