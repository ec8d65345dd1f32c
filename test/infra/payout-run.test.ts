import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { routes } from '#functions/routes.ts';
import { OperatorAlerts } from '#infra/constructs/alerts.ts';
import { itemListRetentionDays } from '#infra/constructs/item-lists.ts';
import { payoutRunEnvironment } from '#infra/constructs/payout-settings.ts';
import { MarketplaceTable } from '#infra/constructs/table.ts';
import { Workflow } from '#infra/constructs/workflow.ts';
import { payoutSettings } from '#shared/app/payouts/payout-settings.ts';
import { resourceVariables } from '#shared/config/function-resources.ts';
import { payoutRun } from '#workflows/payout-run.ts';
import type { WorkflowDefinition, WorkflowTask } from '#workflows/workflow.ts';
import {
  cdkContext,
  privateBucketProperties,
  statesArn,
  stepFunctionsActions,
  synthesize,
  templateResources,
} from './template.ts';

// Bundling is covered by marketplace-stack.test.ts; this file reads only the template's resources.
const payoutContext = {
  payoutMinimumAmount: '2500',
  payoutApprovalThreshold: '500000',
  payoutApprovalTimeoutSeconds: '3600',
  payoutConcurrency: '25',
};
const template = synthesize({ deletionProtection: true, bundle: false, context: payoutContext });
const {
  resourcesOfType,
  resource,
  statementsOfRole,
  roleOf,
  actionsOf,
  environmentOf,
  functionServing,
  stateMachineOf,
} = templateResources(template);

const { stateMachineId, substitutions, taskFunctionId, roleId } = stateMachineOf(payoutRun.name);
const tasks = Object.entries<WorkflowTask>(payoutRun.tasks);
const itemListBuckets = (of: typeof template) =>
  Object.keys(of.findResources('AWS::S3::Bucket')).filter((id) => id.startsWith('ItemLists'));
const [bucketId] = itemListBuckets(template);
const bucketObjects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] };
const stateMachineArn = statesArn(':stateMachine:Marketplace-payout-run');
const defaultSettings = {
  minimumAmount: 0,
  approvalThreshold: 0,
  approvalTimeoutSeconds: 60,
  concurrency: 1,
};
const routeFunction = (route: { method: string; path: string }) =>
  functionServing(`${route.method} ${route.path}`);

describe('payout-run state machine', () => {
  it('is a Standard state machine named after the stack, alarmed, and named in an output', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      StateMachineName: 'Marketplace-payout-run',
      TracingConfiguration: { Enabled: true },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlertsTopic') }],
      AlarmDescription: Match.stringLikeRegexp('Marketplace-payout-run'),
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stateMachineId } }],
            }),
          }),
        }),
      ]),
    });
    template.hasOutput('PayoutRunArn', { Value: stateMachineArn });
  });

  it("replaces each task's placeholder, those inside the Distributed Map included, with its own function's ARN", () => {
    const asl = readFileSync(payoutRun.definitionFile, 'utf8');
    const placeholders = new Set([...asl.matchAll(/\$\{(\w+)\}/g)].map(([, name]) => name));
    expect(new Set(Object.keys(substitutions))).toEqual(placeholders);
    expect(new Set(Object.keys(substitutions))).toEqual(new Set(Object.keys(payoutRun.tasks)));
    const functionIds = tasks.map(([stateName]) => taskFunctionId(stateName));
    for (const functionId of functionIds) expect(resource(functionId).Type).toBe('AWS::Lambda::Function');
    expect(new Set(functionIds).size).toBe(tasks.length);
  });

  it('may invoke exactly its task functions', () => {
    const invocable = statementsOfRole(roleId)
      .filter((statement) => [statement.Action].flat().some((action) => action.startsWith('lambda:')))
      .flatMap((statement) => statement.Resource);
    expect(new Set(invocable)).toEqual(
      new Set(tasks.map(([stateName]) => ({ 'Fn::GetAtt': [taskFunctionId(stateName), 'Arn'] }))),
    );
  });

  it('may read the item lists, and write results beside them, in that bucket only', () => {
    const s3Statements = statementsOfRole(roleId).filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('s3:')),
    );
    expect(s3Statements).toEqual([
      expect.objectContaining({
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
        Resource: bucketObjects,
      }),
    ]);
  });

  it("may start its Distributed Map's child executions of itself, and describe, stop and redrive only its own", () => {
    const statesStatements = statementsOfRole(roleId).filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('states:')),
    );
    expect(statesStatements).toEqual([
      expect.objectContaining({ Action: 'states:StartExecution', Resource: stateMachineArn }),
      expect.objectContaining({
        Action: ['states:DescribeExecution', 'states:RedriveExecution', 'states:StopExecution'],
        Resource: [
          statesArn(':execution:Marketplace-payout-run/*'),
          statesArn(':express:Marketplace-payout-run/*'),
        ],
      }),
    ]);
  });
});

describe('payout-run task functions', () => {
  it('may use exactly the DynamoDB actions their task declares', () => {
    for (const [stateName, task] of tasks) {
      const granted = actionsOf(taskFunctionId(stateName)).filter((action) => action.startsWith('dynamodb:'));
      const declared = (task.uses.table ?? []).map((action) => `dynamodb:${action}`);
      expect(new Set(granted), stateName).toEqual(new Set(declared));
    }
    expect(actionsOf(taskFunctionId('FinishRun'))).toContain('dynamodb:DeleteItem');
    expect(actionsOf(taskFunctionId('SelectSellers'))).toContain('dynamodb:ConditionCheckItem');
    expect(
      actionsOf(taskFunctionId('ResolveApprovalTimeout')).filter((action) => action.startsWith('dynamodb:')),
    ).toEqual(['dynamodb:UpdateItem']);
  });

  it('SelectSellers, which writes the item lists, may put objects in the bucket and is told its name; no other task', () => {
    for (const [stateName, task] of tasks) {
      const functionId = taskFunctionId(stateName);
      const s3Statements = statementsOfRole(roleOf(functionId)).filter((statement) =>
        [statement.Action].flat().some((action) => action.startsWith('s3:')),
      );
      const writes = task.uses.itemLists === 'write';
      expect(writes, stateName).toBe(stateName === 'SelectSellers');
      expect(s3Statements, stateName).toEqual(
        writes ? [expect.objectContaining({ Action: 's3:PutObject', Resource: bucketObjects })] : [],
      );
      expect(environmentOf(functionId)[resourceVariables.itemListBucket], stateName).toEqual(
        writes ? { Ref: bucketId } : undefined,
      );
    }
  });

  it('run as long as their Task state waits for them; the callback task keeps the default', () => {
    const timeoutOf = (stateName: string) => resource(taskFunctionId(stateName)).Properties.Timeout;
    expect(timeoutOf('SelectSellers')).toBe(900);
    expect(timeoutOf('PaySeller')).toBe(50);
    expect(timeoutOf('RecordPayoutFailure')).toBe(50);
    expect(timeoutOf('FinishRun')).toBe(300);
    expect(timeoutOf('ResolveApprovalTimeout')).toBe(60);
    expect(timeoutOf('AwaitApproval')).toBe(10);
  });
});

describe('item-list bucket', () => {
  it('is encrypted, private, owner-enforced and expires lists', () => {
    expect(itemListBuckets(template)).toHaveLength(1);
    expect(resource(bucketId ?? '').Properties).toMatchObject({
      ...privateBucketProperties,
      LifecycleConfiguration: {
        Rules: [expect.objectContaining({ ExpirationInDays: itemListRetentionDays, Status: 'Enabled' })],
      },
    });
  });

  it('refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('is retained when deletion protection is on, emptied and deleted with the stack otherwise', () => {
    expect(template.toJSON().Resources[bucketId ?? '']).toMatchObject({
      DeletionPolicy: 'RetainExceptOnCreate',
    });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    const unprotected = synthesize({ deletionProtection: false, bundle: false });
    const [unprotectedId = ''] = itemListBuckets(unprotected);
    expect(unprotected.toJSON().Resources[unprotectedId]).toMatchObject({ DeletionPolicy: 'Delete' });
    unprotected.hasResourceProperties('Custom::S3AutoDeleteObjects', { BucketName: { Ref: unprotectedId } });
  });
});

describe('payout-run routes', () => {
  it('let decidePayoutRun check the approver has no line in the run, in the transaction recording the decision', () => {
    expect(actionsOf(routeFunction(routes.decidePayoutRun))).toEqual(
      expect.arrayContaining(['dynamodb:ConditionCheckItem', 'dynamodb:UpdateItem']),
    );
  });

  it('let startPayoutRun start executions and decidePayoutRun resume them, and tell them the ARN', () => {
    const arnVariable = resourceVariables.workflowArn(payoutRun.name);
    for (const route of [routes.startPayoutRun, routes.decidePayoutRun]) {
      const functionId = routeFunction(route);
      const granted = actionsOf(functionId).filter((action) => action.startsWith('states:'));
      const declared = (route.uses.workflow?.actions ?? []).flatMap((action) => stepFunctionsActions[action]);
      expect(new Set(granted), route.path).toEqual(new Set(declared));
      expect(environmentOf(functionId)[arnVariable], route.path).toEqual(stateMachineArn);
    }
    expect(statementsOfRole(roleOf(routeFunction(routes.startPayoutRun)))).toContainEqual(
      expect.objectContaining({ Action: 'states:StartExecution', Resource: stateMachineArn }),
    );
  });

  it('give the payout settings from the context to the function starting runs, which reads them back', () => {
    const environment = environmentOf(routeFunction(routes.startPayoutRun));
    expect(environment).toMatchObject({
      PAYOUT_MINIMUM_AMOUNT: '2500',
      PAYOUT_APPROVAL_THRESHOLD: '500000',
      PAYOUT_APPROVAL_TIMEOUT_SECONDS: '3600',
      PAYOUT_CONCURRENCY: '25',
    });
    expect(payoutSettings(environment as NodeJS.ProcessEnv)).toEqual({
      policy: { minimumPayout: 2500, approvalThreshold: 500_000 },
      concurrency: 25,
      approvalTimeoutSeconds: 3600,
    });
  });

  it('give the payout settings to no other function than the dashboard, which estimates the next payout', () => {
    const settingNames = Object.keys(payoutRunEnvironment(defaultSettings));
    expect(settingNames).toHaveLength(4);
    const readers = [routeFunction(routes.startPayoutRun), routeFunction(routes.getMyDashboard)];
    for (const [functionId, fn] of resourcesOfType('AWS::Lambda::Function')) {
      const variables = (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
        ?.Variables;
      const payoutVariables = Object.keys(variables ?? {}).filter((name) => settingNames.includes(name));
      expect(payoutVariables.length > 0, functionId).toBe(readers.includes(functionId));
    }
  });
});

describe('payout schedule', () => {
  it('does not exist unless the context sets one', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 0);
  });
});

describe('Workflow construct', () => {
  function workflowStack(id: string, definition: WorkflowDefinition): void {
    const app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, id);
    new Workflow(stack, 'Workflow', {
      definition,
      table: new MarketplaceTable(stack, 'Data', { deletionProtection: false }).table,
      alerts: new OperatorAlerts(stack, 'Alerts', {}),
    });
  }

  it('refuses a task that writes item lists when given no item-list bucket', () => {
    const definition = {
      ...payoutRun,
      tasks: { SelectSellers: payoutRun.tasks.SelectSellers },
    } satisfies WorkflowDefinition;
    expect(() => workflowStack('NoBucketForTask', definition)).toThrow(
      'Task SelectSellers of payout-run writes item lists, but the workflow was given no item-list bucket',
    );
  });

  it('refuses a Distributed Map reading an item list when given no item-list bucket', () => {
    const definition = {
      ...payoutRun,
      tasks: { FinishRun: payoutRun.tasks.FinishRun },
    } satisfies WorkflowDefinition;
    expect(() => workflowStack('NoBucketForReader', definition)).toThrow(
      'PaySellers of payout-run reads an item list, but the workflow was given no item-list bucket',
    );
  });

  it('still refuses tasks that use search or a queue, or a workflow it was not given', () => {
    const searching = {
      ...payoutRun,
      tasks: { FinishRun: { ...payoutRun.tasks.FinishRun, uses: { search: 'read' } } },
    } satisfies WorkflowDefinition;
    expect(() => workflowStack('Search', searching)).toThrow(
      'Task FinishRun of payout-run may use the table, Stripe, item lists and workflows only, not search or a queue',
    );
    const starting = {
      ...payoutRun,
      tasks: {
        FinishRun: {
          ...payoutRun.tasks.FinishRun,
          uses: { workflow: { name: 'order-fulfillment', actions: ['start'] } },
        },
      },
    } satisfies WorkflowDefinition;
    expect(() => workflowStack('OtherWorkflow', starting)).toThrow(
      'Task FinishRun of payout-run uses workflow order-fulfillment, which the workflow was not given',
    );
  });
});
