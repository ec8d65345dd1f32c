import { createHash } from 'node:crypto';
import { localAccount } from './authorization.ts';

export const urlSuffix = 'amazonaws.com';
const defaultSqsEndpoint = `https://sqs.${localAccount.region}.${urlSuffix}`;
/** The label of every table's stream in ARNs: a table has one stream locally, created with it. */
export const localStreamLabel = '1970-01-01T00:00:00.000';

/** Where the resources a template names are reached locally. */
export interface LocalServiceEndpoints {
  /** The SQS endpoint queue URLs start with. */
  readonly sqs?: string;
  /** What an OpenSearch domain's DomainEndpoint resolves to: a host name or a URL. */
  readonly openSearch?: string;
}

const { partition, region, accountId } = localAccount;
const regionalArn = (service: string, resource: string) =>
  `arn:${partition}:${service}:${region}:${accountId}:${resource}`;

export const dynamoDbTableArn = (tableName: string) => regionalArn('dynamodb', `table/${tableName}`);
/** The stream ARN a table's `StreamArn` resolves to, whatever label DynamoDB Local gave the stream. */
export const dynamoDbStreamArn = (tableName: string) =>
  `${dynamoDbTableArn(tableName)}/stream/${localStreamLabel}`;

/** The ARN of the local account's event bus `name`. */
export const localEventBusArn = (name: string) => regionalArn('events', `event-bus/${name}`);

/** The ARN SES authorises sending with: an identity (address or domain) or a configuration set. */
export const localSesArn = (kind: 'identity' | 'configuration-set', name: string) =>
  regionalArn('ses', `${kind}/${name}`);

export const localUserPoolArn = (userPoolId: string) => regionalArn('cognito-idp', `userpool/${userPoolId}`);

/** The ARN of the Lambda function `name`, by default in the local account and region. */
export const lambdaFunctionArn = (
  name: string,
  { partition, region, accountId }: Readonly<Record<keyof typeof localAccount, string>> = localAccount,
) => `arn:${partition}:lambda:${region}:${accountId}:function:${name}`;

export const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** CDK logical ids end in an 8-character hash: keep it when a name must be shortened. */
function limitLength(name: string, maxLength: number): string {
  return name.length <= maxLength ? name : `${name.slice(0, maxLength - 9)}-${name.slice(-8)}`;
}

export interface NamedResource {
  readonly logicalId: string;
  /** The physical name: an override, the template's own, or one derived from the logical id. */
  readonly name: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

type Attribute = (resource: NamedResource) => string;

export interface ResourceKind {
  /** The property a template names the resource with, if it does. */
  readonly nameProperty?: string;
  readonly deriveName?: (logicalId: string, properties: Readonly<Record<string, unknown>>) => string;
  readonly ref: Attribute;
  readonly arn?: Attribute;
  readonly attributes: Readonly<Record<string, Attribute>>;
}

export function resourceKinds(endpoints: LocalServiceEndpoints = {}): Record<string, ResourceKind> {
  const byName: Attribute = ({ name }) => name;
  const queueArn: Attribute = ({ name }) => regionalArn('sqs', name);
  const queueUrl: Attribute = ({ name }) => `${endpoints.sqs ?? defaultSqsEndpoint}/${accountId}/${name}`;
  const stateMachineArn: Attribute = ({ name }) => regionalArn('states', `stateMachine:${name}`);
  const secretArn: Attribute = ({ name }) =>
    regionalArn('secretsmanager', `secret:${name}-${digest(name).slice(0, 6)}`);
  const functionArn: Attribute = ({ name }) => lambdaFunctionArn(name);
  const roleArn: Attribute = ({ name }) => `arn:${partition}:iam::${accountId}:role/${name}`;
  const topicArn: Attribute = ({ name }) => regionalArn('sns', name);
  const domainArn: Attribute = ({ name }) => regionalArn('es', `domain/${name}`);
  const userPoolArn: Attribute = ({ name }) => localUserPoolArn(name);
  const logGroupArn: Attribute = ({ name }) => regionalArn('logs', `log-group:${name}:*`);
  const tableArn: Attribute = ({ name }) => dynamoDbTableArn(name);
  const bucketArn: Attribute = ({ name }) => `arn:${partition}:s3:::${name}`;
  const eventBusArn: Attribute = ({ name }) => localEventBusArn(name);
  return {
    'AWS::DynamoDB::Table': {
      nameProperty: 'TableName',
      ref: byName,
      arn: tableArn,
      attributes: {
        Arn: tableArn,
        StreamArn: ({ logicalId, name, properties }) => {
          if (!properties.StreamSpecification) throw new Error(`Table ${logicalId} has no stream`);
          return dynamoDbStreamArn(name);
        },
      },
    },
    'AWS::StepFunctions::StateMachine': {
      nameProperty: 'StateMachineName',
      deriveName: (logicalId) => limitLength(logicalId, 80),
      ref: stateMachineArn,
      arn: stateMachineArn,
      attributes: { Arn: stateMachineArn, Name: byName },
    },
    'AWS::SQS::Queue': {
      nameProperty: 'QueueName',
      deriveName: (logicalId, properties) =>
        properties.FifoQueue === true ? `${limitLength(logicalId, 75)}.fifo` : limitLength(logicalId, 80),
      ref: queueUrl,
      arn: queueArn,
      attributes: { Arn: queueArn, QueueName: byName, QueueUrl: queueUrl },
    },
    'AWS::S3::Bucket': {
      nameProperty: 'BucketName',
      deriveName: (logicalId) => limitLength(logicalId.toLowerCase(), 63),
      ref: byName,
      arn: bucketArn,
      attributes: { Arn: bucketArn },
    },
    'AWS::SecretsManager::Secret': {
      nameProperty: 'Name',
      ref: secretArn,
      arn: secretArn,
      attributes: { Id: secretArn },
    },
    'AWS::Lambda::Function': {
      nameProperty: 'FunctionName',
      deriveName: (logicalId) => limitLength(logicalId, 64),
      ref: byName,
      arn: functionArn,
      attributes: { Arn: functionArn },
    },
    'AWS::IAM::Role': {
      nameProperty: 'RoleName',
      deriveName: (logicalId) => limitLength(logicalId, 64),
      ref: byName,
      arn: roleArn,
      attributes: { Arn: roleArn },
    },
    'AWS::SNS::Topic': {
      nameProperty: 'TopicName',
      ref: topicArn,
      arn: topicArn,
      attributes: { TopicArn: topicArn, TopicName: byName },
    },
    'AWS::OpenSearchService::Domain': {
      nameProperty: 'DomainName',
      deriveName: (logicalId) => limitLength(logicalId.toLowerCase(), 28),
      ref: byName,
      arn: domainArn,
      attributes: {
        Arn: domainArn,
        DomainEndpoint: ({ name }) =>
          endpoints.openSearch ?? `search-${name}-${digest(name).slice(0, 26)}.${region}.es.${urlSuffix}`,
      },
    },
    'AWS::Cognito::UserPool': {
      deriveName: (logicalId) => `${region}_${digest(logicalId).slice(0, 9)}`,
      ref: byName,
      arn: userPoolArn,
      attributes: {
        Arn: userPoolArn,
        UserPoolId: byName,
        ProviderName: ({ name }) => `cognito-idp.${region}.${urlSuffix}/${name}`,
        ProviderURL: ({ name }) => `https://cognito-idp.${region}.${urlSuffix}/${name}`,
      },
    },
    'AWS::Cognito::UserPoolClient': {
      deriveName: (logicalId) => digest(logicalId).slice(0, 26),
      ref: byName,
      attributes: { ClientId: byName },
    },
    'AWS::SES::ConfigurationSet': {
      nameProperty: 'Name',
      deriveName: (logicalId) => limitLength(logicalId, 64),
      ref: byName,
      attributes: {},
    },
    'AWS::Events::EventBus': {
      nameProperty: 'Name',
      deriveName: (logicalId) => limitLength(logicalId, 256),
      ref: byName,
      arn: eventBusArn,
      attributes: { Arn: eventBusArn, Name: byName },
    },
    'AWS::Logs::LogGroup': {
      nameProperty: 'LogGroupName',
      ref: byName,
      arn: logGroupArn,
      attributes: { Arn: logGroupArn },
    },
  };
}
