import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  LogQueryWidget,
  MathExpression,
  type Metric,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { OperatorAlerts } from './alerts.ts';
import { BusinessMetrics } from './business-metrics.ts';

export interface OperationsDashboardProps {
  readonly api: HttpApi;
  /** The API stage's access log, queried for each route's traffic, errors and latency. */
  readonly apiAccessLogs: ILogGroup;
  readonly workflows: readonly { readonly name: string; readonly stateMachine: StateMachine }[];
  /** Every alarm it notifies is shown first: what an operator must act on. */
  readonly alerts: OperatorAlerts;
}

const period = Duration.minutes(5);

/** Each route's requests by status class (2xx … 5xx), from the API's access log. */
const statusByRouteQuery = [
  'fields routeKey, floor(status / 100) as statusClass',
  'stats count(*) as requests by routeKey, statusClass',
  'sort routeKey asc, statusClass asc',
  'limit 1000',
];

/** Each route's latency as API Gateway answered it, slowest first. */
const latencyByRouteQuery = [
  'fields routeKey, responseLatency',
  'stats count(*) as requests, pct(responseLatency, 50) as p50Ms, pct(responseLatency, 99) as p99Ms by routeKey',
  'sort p99Ms desc',
  'limit 1000',
];

/**
 * One CloudWatch dashboard for the operators: the state of every alarm, the API's traffic, errors
 * and latency (in all and per route), the business counters and the problems answered by code, the
 * workflows' executions, the dead-letter queues' depths, Stripe's event lag, the table-change consumers'
 * failures, and the functions' errors and throttles. The services' own metrics cost nothing; the stack's counters are a few custom metrics
 * (one per counter and per problem code); the per-route widgets query the access log when viewed. The
 * dashboard itself is one of the three CloudWatch gives free.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(
    scope: Construct,
    id: string,
    { api, apiAccessLogs, workflows, alerts }: OperationsDashboardProps,
  ) {
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
      new LogQueryWidget({
        title: 'API requests per route and status class',
        logGroupNames: [apiAccessLogs.logGroupName],
        queryLines: statusByRouteQuery,
        width: 12,
        height: 8,
      }),
      new LogQueryWidget({
        title: 'API latency per route (ms)',
        logGroupNames: [apiAccessLogs.logGroupName],
        queryLines: latencyByRouteQuery,
        width: 12,
        height: 8,
      }),
    );
    const business = new BusinessMetrics(this);
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Business counters', left: business.counters(), width: 12 }),
      new GraphWidget({
        title: 'Problems answered, by code',
        left: [business.domainErrorsByCode()],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Dead-letter queues: messages waiting',
        left: alerts.deadLetterQueues.map(({ deadLettersOf, queue }) =>
          queue.metricApproximateNumberOfMessagesVisible({
            period,
            statistic: 'Maximum',
            label: deadLettersOf,
          }),
        ),
        width: 12,
      }),
      new GraphWidget({
        title: 'Stripe events: from creation to applied (s)',
        left: (['p50', 'p99', 'Maximum'] as const).map((statistic) =>
          business.stripeEventLag(statistic, `${statistic} (s)`),
        ),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Table-change consumers: failed batches, by consumer (retried from the stream)',
        left: [business.tableChangeConsumerFailuresByConsumer()],
        width: 24,
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
