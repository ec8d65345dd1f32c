import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoDbStreamArn, dynamoDbTableArn } from '#infra/local/aws/resource-kinds.ts';
import {
  type CloudFormationTemplate,
  createTemplateReferences,
  type TemplateReferences,
} from '#infra/local/aws/template-references.ts';
import { synthesize, templateResources } from '../../infra/template.ts';

const localSqs = 'http://127.0.0.1:4566';
const localSearch = 'http://127.0.0.1:4571';

let template: CloudFormationTemplate;
let resources: ReturnType<typeof templateResources>;
let references: TemplateReferences;
let tableId: string;

const idOfType = (type: string) => {
  const [entry] = resources.resourcesOfType(type);
  if (!entry) throw new Error(`No ${type} in the template`);
  return entry[0];
};

beforeAll(() => {
  const synthesized = synthesize({ deletionProtection: false, bundle: false });
  template = synthesized.toJSON() as CloudFormationTemplate;
  resources = templateResources(synthesized);
  tableId = idOfType('AWS::DynamoDB::Table');
  references = createTemplateReferences(template, {
    names: { [tableId]: 'marketplace' },
    endpoints: { sqs: localSqs, openSearch: localSearch },
  });
});

describe('the synthesized template, resolved locally', () => {
  it('gives the table its local name, ARN and stream ARN', () => {
    expect(references.resolve({ Ref: tableId })).toBe('marketplace');
    expect(references.arnOf(tableId)).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/marketplace');
    expect(references.resolve({ 'Fn::GetAtt': [tableId, 'StreamArn'] })).toBe(
      dynamoDbStreamArn('marketplace'),
    );
    expect(dynamoDbTableArn('marketplace')).toBe(references.arnOf(tableId));
  });

  it('resolves every function environment, in which the table is the local one', () => {
    const functions = references.functions();
    expect(functions).toHaveLength(resources.resourcesOfType('AWS::Lambda::Function').length);
    for (const described of functions) {
      expect(described.roleId).toBe(resources.roleOf(described.logicalId));
      expect(described.timeoutSeconds).toBeGreaterThan(0);
      expect(described.handler).toBe('index.handler');
      if (described.environment.TABLE_NAME) expect(described.environment.TABLE_NAME).toBe('marketplace');
    }
    expect(functions.filter((described) => described.environment.TABLE_NAME).length).toBeGreaterThan(10);
  });

  it('names a state machine alike whether the template joins its ARN or refers to it', () => {
    const { stateMachineId } = resources.stateMachineOf('payout-run');
    const arn = references.resolve({ Ref: stateMachineId });
    expect(arn).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:Marketplace-payout-run');
    expect(references.arnOf(stateMachineId)).toBe(arn);
    expect(references.attribute(stateMachineId, 'Name')).toBe('Marketplace-payout-run');
    const starter = resources.functionServing('POST /payout-runs');
    expect(references.functionEnvironment(starter).PAYOUT_RUN_WORKFLOW_ARN).toBe(arn);
  });

  it('builds queue URLs on the local SQS endpoint', () => {
    const webhook = resources.functionServing('POST /webhooks/stripe');
    const url = references.functionEnvironment(webhook).STRIPE_EVENTS_QUEUE_URL ?? '';
    expect(url).toMatch(new RegExp(`^${localSqs}/000000000000/[A-Za-z0-9_-]{1,80}$`));
    const queueId = url.split('/').pop() ?? '';
    expect(references.resolve({ Ref: queueId })).toBe(url);
    expect(references.arnOf(queueId)).toBe(`arn:aws:sqs:us-east-1:000000000000:${queueId}`);
    expect(references.attribute(queueId, 'QueueName')).toBe(queueId);
  });

  it('gives the secret, bucket, topic, search domain and user pool names and ARNs of their kind', () => {
    const secretArn = references.resolve({ Ref: idOfType('AWS::SecretsManager::Secret') });
    expect(secretArn).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:.+-[0-9a-f]{6}$/);
    const bucket = references.physicalName(idOfType('AWS::S3::Bucket'));
    expect(bucket).toMatch(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);
    expect(references.arnOf(idOfType('AWS::S3::Bucket'))).toBe(`arn:aws:s3:::${bucket}`);
    expect(references.resolve({ Ref: idOfType('AWS::SNS::Topic') })).toMatch(/^arn:aws:sns:us-east-1:/);
    const domain = idOfType('AWS::OpenSearchService::Domain');
    expect(references.attribute(domain, 'DomainEndpoint')).toBe(localSearch);
    expect(references.arnOf(domain)).toMatch(/^arn:aws:es:us-east-1:000000000000:domain\/[a-z][a-z0-9-]+$/);
    const userPool = references.resolve({ Ref: idOfType('AWS::Cognito::UserPool') });
    expect(userPool).toMatch(/^us-east-1_[0-9a-zA-Z]+$/);
    expect(references.arnOf(idOfType('AWS::Cognito::UserPool'))).toBe(
      `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${userPool}`,
    );
    expect(references.resolve({ Ref: idOfType('AWS::Cognito::UserPoolClient') })).toMatch(/^[a-z0-9]{26}$/);
  });

  it('derives the same names every time', () => {
    const again = createTemplateReferences(template);
    for (const described of again.functions()) {
      expect(again.functionEnvironment(described.logicalId)).toEqual(
        createTemplateReferences(template).functionEnvironment(described.logicalId),
      );
    }
  });
});

// biome-ignore-start lint/suspicious/noTemplateCurlyInString: these are Fn::Sub templates, not JavaScript ones
const substitutions = {
  name: '${Stage}-named',
  everyKind:
    'arn:${AWS::Partition}:x:${AWS::Region}:${AWS::AccountId}:${AWS::URLSuffix}/${Orders.Arn}/${v}/${!v}',
  everyKindResolved:
    'arn:aws:x:us-east-1:000000000000:amazonaws.com/arn:aws:dynamodb:us-east-1:000000000000:table/Orders/test/${v}',
};
// biome-ignore-end lint/suspicious/noTemplateCurlyInString: the Fn::Sub templates end here

const handWritten: CloudFormationTemplate = {
  Parameters: { Stage: { Default: 'test' } },
  Resources: {
    Orders: { Type: 'AWS::DynamoDB::Table', Properties: {} },
    Jobs: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true } },
    Named: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: { 'Fn::Sub': substitutions.name } } },
    Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: {} },
  },
};

describe('intrinsic functions', () => {
  const local = createTemplateReferences(handWritten);

  it('resolves pseudo parameters, parameters and Fn::Sub with its literal escape', () => {
    expect(
      local.resolve({
        'Fn::Sub': [substitutions.everyKind, { v: { Ref: 'Stage' } }],
      }),
    ).toBe(substitutions.everyKindResolved);
  });

  it('resolves Fn::Join, Fn::Select and Fn::Split inside plain values', () => {
    const value = {
      list: [{ 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': 'Orders.Arn' }] }] }],
      joined: { 'Fn::Join': ['-', [{ Ref: 'Named' }, 'x', 3]] },
    };
    expect(local.resolve(value)).toEqual({ list: ['Orders'], joined: 'test-named-x-3' });
  });

  it('names resources by their template name, an override, or their logical id', () => {
    expect(local.physicalName('Named')).toBe('test-named');
    expect(local.physicalName('Jobs')).toBe('Jobs.fifo');
    expect(createTemplateReferences(handWritten, { names: { Named: 'other' } }).arnOf('Named')).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:other',
    );
  });

  it('names the logical id and attribute it cannot resolve', () => {
    expect(() => local.resolve({ 'Fn::GetAtt': ['Orders', 'StreamArn'] })).toThrow(/Orders has no stream/);
    expect(() => local.resolve({ 'Fn::GetAtt': ['Orders', 'Nonsense'] })).toThrow(/Orders\.Nonsense/);
    expect(() => local.resolve({ Ref: 'Api' })).toThrow(/Api: AWS::ApiGatewayV2::Api/);
    expect(() => local.resolve({ Ref: 'Missing' })).toThrow(/no resource Missing/);
    expect(() => local.resolve({ 'Fn::If': ['c', 'a', 'b'] })).toThrow(/Fn::If/);
  });
});
