import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { orderWorkflowDriver } from '#functions/routes.ts';
import { resourceVariables } from '#shared/config/function-resources.ts';
import { entities } from '#shared/store/table.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import { type GetAtt, statesArn, stepFunctionsActions, synthesize, templateResources } from './template.ts';

// Bundling is covered by marketplace-stack.test.ts; this file reads only the template's resources.
const template = synthesize({ deletionProtection: true, bundle: false });
const {
  resource,
  roleOf,
  statementsOfRole,
  actionsOf,
  environmentOf,
  tableChangeConsumerOf,
  stateMachineOf,
} = templateResources(template);

const { stateMachineId, stateMachine, substitutions, taskFunctionId } = stateMachineOf(orderFulfillment.name);
const tasks = Object.entries(orderFulfillment.tasks);

const stateMachineArn = statesArn(':stateMachine:Marketplace-order-fulfillment');

describe('order-fulfillment state machine', () => {
  it('is a Standard state machine named after the stack, defined by the ASL file', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      StateMachineName: 'Marketplace-order-fulfillment',
      DefinitionS3Location: Match.anyValue(),
    });
  });

  it("replaces each task's placeholder in the ASL with the ARN of that task's own function", () => {
    const asl = readFileSync(orderFulfillment.definitionFile, 'utf8');
    const placeholders = new Set([...asl.matchAll(/\$\{(\w+)\}/g)].map(([, name]) => name));
    const substituted = Object.keys(substitutions).reduce(
      (text, name) => text.replaceAll(`\${${name}}`, 'arn'),
      asl,
    );
    expect(substituted).not.toContain('${');
    expect(new Set(Object.keys(substitutions))).toEqual(placeholders);
    expect(new Set(Object.keys(substitutions))).toEqual(new Set(Object.keys(orderFulfillment.tasks)));

    for (const [stateName, arn] of Object.entries(substitutions)) {
      expect(arn, stateName).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
      expect(resource(taskFunctionId(stateName)).Type, stateName).toBe('AWS::Lambda::Function');
    }
    expect(new Set(tasks.map(([stateName]) => taskFunctionId(stateName))).size).toBe(tasks.length);
  });

  it('logs every transition without execution data to its own log group, and traces with X-Ray', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrderFulfillmentLogs'), 'Arn'] },
            },
          },
        ],
      },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('may invoke exactly its task functions', () => {
    const roleId = (stateMachine.Properties.RoleArn as GetAtt)['Fn::GetAtt'][0];
    const lambdaStatements = statementsOfRole(roleId).filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('lambda:')),
    );
    expect(lambdaStatements.flatMap((statement) => statement.Action)).toEqual(['lambda:InvokeFunction']);
    const invocable = lambdaStatements.flatMap((statement) => statement.Resource);
    expect(new Set(invocable)).toEqual(
      new Set(tasks.map(([stateName]) => ({ 'Fn::GetAtt': [taskFunctionId(stateName), 'Arn'] }))),
    );
  });

  it('alarms the operators when an execution fails, times out or is aborted', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlertsTopic') }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      Metrics: Match.arrayWith(
        ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'].map((metricName) =>
          Match.objectLike({
            MetricStat: Match.objectLike({
              Metric: {
                Namespace: 'AWS/States',
                MetricName: metricName,
                Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stateMachineId } }],
              },
              Stat: 'Sum',
            }),
            ReturnData: false,
          }),
        ),
      ),
    });
  });
});

describe('order-fulfillment task functions', () => {
  it('may use exactly the DynamoDB actions their task declares', () => {
    for (const [stateName, task] of tasks) {
      const functionId = taskFunctionId(stateName);
      const granted = actionsOf(functionId).filter((action) => action.startsWith('dynamodb:'));
      const declared = (task.uses.table ?? []).map((action) => `dynamodb:${action}`);
      expect(new Set(granted), stateName).toEqual(new Set(declared));
      expect('TABLE_NAME' in environmentOf(functionId), stateName).toBe(declared.length > 0);
    }
  });

  it('may start or resume a workflow exactly as their task declares, and are told only its ARN', () => {
    for (const [stateName, task] of tasks) {
      const functionId = taskFunctionId(stateName);
      const workflow = 'workflow' in task.uses ? task.uses.workflow : undefined;
      const granted = actionsOf(functionId).filter((action) => action.startsWith('states:'));
      const declared = (workflow?.actions ?? []).flatMap((action) => stepFunctionsActions[action]);
      expect(new Set(granted), stateName).toEqual(new Set(declared));
      const arns = Object.entries(environmentOf(functionId)).filter(([name]) =>
        name.endsWith('_WORKFLOW_ARN'),
      );
      expect(arns, stateName).toEqual(
        workflow
          ? [
              [
                resourceVariables.workflowArn(workflow.name),
                statesArn(`:stateMachine:Marketplace-${workflow.name}`),
              ],
            ]
          : [],
      );
    }
  });

  it('open the review window where they complete the order: its settings, and the start of its timer', () => {
    const completeOrder = taskFunctionId('CompleteOrder');
    expect(environmentOf(completeOrder)).toMatchObject({ REVIEW_WINDOW_SECONDS: '1209600' });
    expect(statementsOfRole(roleOf(completeOrder))).toContainEqual(
      expect.objectContaining({
        Action: 'states:StartExecution',
        Resource: statesArn(':stateMachine:Marketplace-review-window'),
      }),
    );
  });

  it('lets AwaitPayment resume tasks on "*", the only resource SendTaskSuccess and SendTaskFailure take', () => {
    const [statement, ...others] = statementsOfRole(roleOf(taskFunctionId('AwaitPayment'))).filter(
      (candidate) => [candidate.Action].flat().some((action) => action.startsWith('states:')),
    );
    expect(others).toEqual([]);
    expect(statement?.Resource).toBe('*');
  });
});

describe('order-workflow driver', () => {
  const driver = tableChangeConsumerOf(entities.order);

  it('is told the state machine ARN, the table name and the Stripe secret, to settle a capture', () => {
    const environment = environmentOf(driver.functionId);
    expect(environment[resourceVariables.workflowArn(orderFulfillment.name)]).toEqual(stateMachineArn);
    expect('TABLE_NAME' in environment).toBe(true);
    expect(resourceVariables.stripeSecretArn in environment).toBe(true);
  });

  it('may start executions of the state machine and resume its waiting tasks, and nothing else of Step Functions', () => {
    const statements = statementsOfRole(roleOf(driver.functionId));
    const statesActions = actionsOf(driver.functionId).filter((action) => action.startsWith('states:'));
    expect(new Set(statesActions)).toEqual(
      new Set([...stepFunctionsActions.start, ...stepFunctionsActions.signal]),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'states:StartExecution', Resource: stateMachineArn }),
    );
    const signalling = statements.filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('states:SendTask')),
    );
    expect(signalling.map((statement) => statement.Resource)).toEqual(['*']);
  });

  it('touches only what settling a capture takes in the table, and does not read its stream', () => {
    const dynamoActions = actionsOf(driver.functionId).filter((action) => action.startsWith('dynamodb:'));
    expect(new Set(dynamoActions)).toEqual(
      new Set(orderWorkflowDriver.uses.table.map((action) => `dynamodb:${action}`)),
    );
  });

  it('is handed every order change by the fan-out, a few at a time', () => {
    expect(driver).toMatchObject({
      batchSize: 10,
      filters: [{ dynamodb: { NewImage: { entity: { S: [entities.order] } } } }],
    });
  });
});
