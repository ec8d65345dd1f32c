import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  MathExpression,
  type Metric,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { OperatorAlerts } from './alerts.ts';

export interface OperationsDashboardProps {
  readonly api: HttpApi;
  readonly workflows: readonly { readonly name: string; readonly stateMachine: StateMachine }[];
  /** Every alarm it notifies is shown first: what an operator must act on. */
  readonly alerts: OperatorAlerts;
}

const period = Duration.minutes(5);

/**
 * One CloudWatch dashboard for the operators: the state of every alarm, the API's traffic, errors
 * and latency, the workflows' executions, and the functions' errors and throttles. Built from the
 * services' own metrics, which cost nothing; the dashboard itself is one of the three CloudWatch
 * gives free.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, { api, workflows, alerts }: OperationsDashboardProps) {
    super(scope, id);
    const { stackName } = Stack.of(this);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${stackName}-operations`,
      defaultInterval: Duration.hours(24),
    });
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms: what needs an operator', alarms: alerts.alarms, width: 24 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'API requests and errors',
        left: [
          api.metricCount({ period }),
          api.metricClientError({ period }),
          api.metricServerError({ period }),
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'API latency (ms)',
        left: [
          api.metricLatency({ period, statistic: 'p50', label: 'p50' }),
          api.metricLatency({ period, statistic: 'p99', label: 'p99' }),
        ],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Workflow executions ended badly',
        left: workflows.flatMap(({ name, stateMachine }) =>
          (
            [
              ['failed', stateMachine.metricFailed({ period })],
              ['timed out', stateMachine.metricTimedOut({ period })],
            ] as const
          ).map(([what, metric]: readonly [string, Metric]) => metric.with({ label: `${name} ${what}` })),
        ),
        width: 12,
      }),
      new GraphWidget({
        title: "The stack's functions: errors and throttles",
        left: (['Errors', 'Throttles'] as const).map(
          (metricName) =>
            new MathExpression({
              // Function names start with the stack's name: one series per function of this stack.
              expression: `SEARCH('{AWS/Lambda,FunctionName} MetricName="${metricName}" "${stackName}-"', 'Sum', 300)`,
              label: metricName,
              period,
            }),
        ),
        width: 12,
      }),
    );
  }
}
