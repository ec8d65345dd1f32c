import { beforeAll, describe, expect, it } from 'vitest';
import type { Authorize } from '#infra/local/aws/authorization.ts';
import { dynamoDbTableArn } from '#infra/local/aws/resource-kinds.ts';
import {
  evaluatePolicy,
  type FunctionPolicies,
  functionPolicies,
  type PolicyStatement,
  policyAuthorizer,
  withoutAction,
} from '#infra/local/aws/role-policies.ts';
import {
  type CloudFormationTemplate,
  createTemplateReferences,
} from '#infra/local/aws/template-references.ts';
import { synthesize, templateResources } from '../../infra/template.ts';

const tableArn = dynamoDbTableArn('marketplace');
const indexArn = `${tableArn}/index/GSI1`;

let policies: FunctionPolicies;
let functionServing: (routeKey: string) => string;
let payoutRunArn: string;

beforeAll(() => {
  const synthesized = synthesize({ deletionProtection: false, bundle: false });
  const resources = templateResources(synthesized);
  const [table] = resources.resourcesOfType('AWS::DynamoDB::Table');
  if (!table) throw new Error('No table in the template');
  const template = synthesized.toJSON() as CloudFormationTemplate;
  const references = createTemplateReferences(template, { names: { [table[0]]: 'marketplace' } });
  policies = functionPolicies(template, references);
  functionServing = resources.functionServing;
  payoutRunArn = references.arnOf(resources.stateMachineOf('payout-run').stateMachineId);
});

function denial(authorize: Authorize, accessKeyId: string | undefined, action: string, resource: string) {
  try {
    authorize(accessKeyId, action, resource);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('the role policies of the synthesized functions', () => {
  it('lets the function listing payout runs query the table and its index, and nothing more', () => {
    const authorize = policyAuthorizer(policies);
    const lister = functionServing('GET /payout-runs');
    expect(denial(authorize, lister, 'dynamodb:Query', tableArn)).toBeUndefined();
    expect(denial(authorize, lister, 'dynamodb:Query', indexArn)).toBeUndefined();
    expect(denial(authorize, lister, 'dynamodb:PutItem', tableArn)).toMatchObject({
      name: 'AccessDeniedException',
      type: 'AccessDeniedException',
      message: expect.stringContaining(`${lister} is not authorized to perform: dynamodb:PutItem`),
    });
    expect(denial(authorize, lister, 'dynamodb:Query', dynamoDbTableArn('another-table'))).toBeDefined();
  });

  it('denies an index Query to a function granted only GetItem', () => {
    const reader = functionServing('GET /sellers/{sellerId}');
    const authorize = policyAuthorizer(policies);
    expect(denial(authorize, reader, 'dynamodb:GetItem', tableArn)).toBeUndefined();
    expect(denial(authorize, reader, 'dynamodb:Query', indexArn)).toBeDefined();
  });

  it('denies starting a payout run once states:StartExecution is removed from the starter', () => {
    const starter = functionServing('POST /payout-runs');
    expect(
      denial(policyAuthorizer(policies), starter, 'states:StartExecution', payoutRunArn),
    ).toBeUndefined();
    const withoutStart = withoutAction(policies, starter, 'states:StartExecution');
    expect(
      denial(policyAuthorizer(withoutStart), starter, 'states:StartExecution', payoutRunArn),
    ).toBeDefined();
    expect(denial(policyAuthorizer(withoutStart), starter, 'dynamodb:Query', tableArn)).toBeUndefined();
    expect(
      denial(policyAuthorizer(policies), starter, 'states:StartExecution', payoutRunArn),
    ).toBeUndefined();
  });

  it('denies unsigned calls and unknown access keys', () => {
    const authorize = policyAuthorizer(policies);
    expect(denial(authorize, undefined, 'dynamodb:Query', tableArn)).toMatchObject({
      name: 'AccessDeniedException',
    });
    expect(denial(authorize, 'AKIAUNKNOWN', 'dynamodb:Query', tableArn)).toBeDefined();
    expect(denial(authorize, 'constructor', 'dynamodb:Query', tableArn)).toBeDefined();
  });

  it('maps access keys to functions when told how', () => {
    const lister = functionServing('GET /payout-runs');
    const authorize = policyAuthorizer(policies, {
      accessKeyToFunction: (accessKeyId) => (accessKeyId === 'LISTER' ? lister : undefined),
    });
    expect(denial(authorize, 'LISTER', 'dynamodb:Query', tableArn)).toBeUndefined();
    expect(denial(authorize, lister, 'dynamodb:Query', tableArn)).toBeDefined();
  });
});

const statement = (fields: Omit<PolicyStatement, 'source'>): PolicyStatement => ({
  source: 'test',
  ...fields,
});

describe('IAM policy evaluation', () => {
  it('matches actions ignoring case and with wildcards, resources by case-sensitive globs', () => {
    const statements = [
      statement({ effect: 'Allow', actions: ['DynamoDB:Get*', 's3:?utObject'], resources: ['arn:a:b/*/x?'] }),
    ];
    expect(evaluatePolicy(statements, 'dynamodb:GetItem', 'arn:a:b/c/d/x1')).toBe('allow');
    expect(evaluatePolicy(statements, 's3:PutObject', 'arn:a:b/c/x1')).toBe('allow');
    expect(evaluatePolicy(statements, 's3:PutObjects', 'arn:a:b/c/x1')).toBe('implicit-deny');
    expect(evaluatePolicy(statements, 'dynamodb:GetItem', 'arn:a:B/c/x1')).toBe('implicit-deny');
    expect(evaluatePolicy(statements, 'dynamodb:GetItem', 'arn:a:b/c/x12')).toBe('implicit-deny');
    expect(evaluatePolicy(statements, 'dynamodb:Query', 'arn:a:b/c/x1')).toBe('implicit-deny');
  });

  it('takes regular expression characters in patterns literally', () => {
    const statements = [statement({ effect: 'Allow', actions: ['*'], resources: ['arn:(a).b+'] })];
    expect(evaluatePolicy(statements, 'x:Y', 'arn:(a).b+')).toBe('allow');
    expect(evaluatePolicy(statements, 'x:Y', 'arn:a.bb')).toBe('implicit-deny');
  });

  it('lets an explicit Deny win over any Allow', () => {
    const statements = [
      statement({ effect: 'Allow', actions: ['dynamodb:*'], resources: ['*'] }),
      statement({ effect: 'Deny', actions: ['dynamodb:DeleteItem'], resources: ['arn:table/*'] }),
    ];
    expect(evaluatePolicy(statements, 'dynamodb:DeleteItem', 'arn:table/t')).toBe('explicit-deny');
    expect(evaluatePolicy(statements, 'dynamodb:PutItem', 'arn:table/t')).toBe('allow');
    expect(
      denial(policyAuthorizer({ F: statements }), 'F', 'dynamodb:DeleteItem', 'arn:table/t'),
    ).toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('explicit deny'),
    });
  });

  it('honours NotAction and NotResource', () => {
    const statements = [
      statement({ effect: 'Allow', notActions: ['iam:*'], resources: ['*'] }),
      statement({ effect: 'Deny', actions: ['s3:*'], notResources: ['arn:bucket/public/*'] }),
    ];
    expect(evaluatePolicy(statements, 'iam:CreateUser', 'arn:user')).toBe('implicit-deny');
    expect(evaluatePolicy(statements, 'sqs:SendMessage', 'arn:queue')).toBe('allow');
    expect(evaluatePolicy(statements, 's3:GetObject', 'arn:bucket/private/a')).toBe('explicit-deny');
    expect(evaluatePolicy(statements, 's3:GetObject', 'arn:bucket/public/a')).toBe('allow');
  });
});

const roleTemplate = (statementFields: Record<string, unknown>): CloudFormationTemplate => ({
  Resources: {
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: { Handler: 'index.handler', Role: { 'Fn::GetAtt': ['Role', 'Arn'] } },
    },
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        Policies: [
          {
            PolicyName: 'inline',
            PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }] },
          },
        ],
      },
    },
    Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
    Policy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        Roles: [{ Ref: 'Role' }],
        PolicyDocument: {
          Statement: [{ Effect: 'Allow', Action: 'sqs:ReceiveMessage', ...statementFields }],
        },
      },
    },
  },
});

describe('reading role policies from a template', () => {
  it('includes the role inline policies and resolves resources', () => {
    const template = roleTemplate({ Resource: { 'Fn::GetAtt': ['Queue', 'Arn'] } });
    const read = functionPolicies(template, createTemplateReferences(template));
    expect(read.Fn).toEqual([
      {
        effect: 'Allow',
        actions: ['sqs:SendMessage'],
        resources: ['*'],
        source: 'Role policy inline statement 0',
      },
      {
        effect: 'Allow',
        actions: ['sqs:ReceiveMessage'],
        resources: ['arn:aws:sqs:us-east-1:000000000000:Queue'],
        source: 'Policy statement 0',
      },
    ]);
  });

  it('refuses a Condition it would not evaluate', () => {
    const template = roleTemplate({ Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } });
    expect(() => functionPolicies(template, createTemplateReferences(template))).toThrow(
      /Policy statement 0 has a Condition/,
    );
  });
});
