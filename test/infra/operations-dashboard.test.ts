import { describe, expect, it } from 'vitest';
import { counters } from '#shared/observability/metric-names.ts';
import { synthesize } from './template.ts';

const template = synthesize({ deletionProtection: false, bundle: false });

/** A CloudFormation value as text, references written `{Ref:Id}` and `{GetAtt:Id.Attr}`. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if (node.Ref !== undefined) return `{Ref:${String(node.Ref)}}`;
  if (node['Fn::GetAtt'] !== undefined) return `{GetAtt:${(node['Fn::GetAtt'] as string[]).join('.')}}`;
  if (node['Fn::Join'] !== undefined) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(asText).join(separator);
  }
  throw new Error(`unexpected value in the dashboard body: ${JSON.stringify(value)}`);
}

interface Widget {
  readonly type: string;
  readonly properties: {
    readonly title: string;
    readonly alarms?: readonly string[];
    readonly metrics?: readonly unknown[];
    readonly query?: string;
  };
}

const dashboards = template.findResources('AWS::CloudWatch::Dashboard');
const [dashboard] = Object.values(dashboards);
const widgets = (JSON.parse(asText(dashboard?.Properties.DashboardBody)) as { widgets: Widget[] }).widgets;
const widget = (title: string) => widgets.find((candidate) => candidate.properties.title.startsWith(title));
const logicalIdsOf = (type: string) => Object.keys(template.findResources(type));

describe('the operations dashboard', () => {
  it('is one dashboard named after the stack', () => {
    expect(Object.keys(dashboards)).toHaveLength(1);
    expect(dashboard?.Properties.DashboardName).toBe('Marketplace-operations');
  });

  it('shows the state of every alarm of the stack first', () => {
    const alarms = logicalIdsOf('AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(3);
    expect(widgets[0]?.type).toBe('alarm');
    expect([...(widget('Alarms')?.properties.alarms ?? [])].sort()).toEqual(
      alarms.map((id) => `{GetAtt:${id}.Arn}`).sort(),
    );
  });

  it('alarms the operators when the API answers 5xx five times in five minutes', () => {
    const [httpApi] = logicalIdsOf('AWS::ApiGatewayV2::Api');
    const [topic] = logicalIdsOf('AWS::SNS::Topic');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: '5xx',
      Namespace: 'AWS/ApiGateway',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: httpApi } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topic }],
    });
  });

  it("graphs the API's requests, errors and latency, and each workflow's failed and timed-out executions", () => {
    const [httpApi] = logicalIdsOf('AWS::ApiGatewayV2::Api');
    const apiMetrics = JSON.stringify([
      widget('API requests')?.properties.metrics,
      widget('API latency')?.properties.metrics,
    ]);
    for (const metric of ['Count', '4xx', '5xx', 'Latency']) expect(apiMetrics).toContain(`"${metric}"`);
    expect(apiMetrics).toContain(`{Ref:${httpApi}}`);

    const workflowMetrics = JSON.stringify(widget('Workflow executions')?.properties.metrics);
    for (const stateMachine of logicalIdsOf('AWS::StepFunctions::StateMachine').filter((id) =>
      /^(OrderFulfillment|PayoutRun)/.test(id),
    )) {
      expect(workflowMetrics).toContain(`{Ref:${stateMachine}}`);
    }
    expect(workflowMetrics).toContain('"ExecutionsFailed"');
    expect(workflowMetrics).toContain('"ExecutionsTimedOut"');
  });

  it("graphs the errors and throttles of the stack's own functions", () => {
    const expressions = (widget("The stack's functions")?.properties.metrics ?? []).map(
      (metric) => (metric as [{ expression: string }])[0].expression,
    );
    expect(expressions).toEqual(
      ['Errors', 'Throttles'].map(
        (name) => `SEARCH('{AWS/Lambda,FunctionName} MetricName="${name}" "Marketplace-"', 'Sum', 300)`,
      ),
    );
  });

  it('counts requests by route and status class, and times each route, from the access log', () => {
    const [accessLogs] = logicalIdsOf('AWS::Logs::LogGroup').filter((id) => id.startsWith('ApiAccessLogs'));
    const statuses = widget('API requests per route')?.properties.query ?? '';
    const latency = widget('API latency per route')?.properties.query ?? '';
    for (const query of [statuses, latency]) {
      expect(query).toContain(`SOURCE '{Ref:${accessLogs}}'`);
      expect(query).toContain('by routeKey');
    }
    expect(statuses).toContain('floor(status / 100) as statusClass');
    expect(latency).toContain('pct(responseLatency, 99)');
  });

  it("graphs the business counters and the problems answered by code, in the stack's namespace", () => {
    const counted = JSON.stringify(widget('Business counters')?.properties.metrics);
    for (const counter of Object.values(counters)) {
      expect(counted).toContain(`["Marketplace","${counter}","service","marketplace"`);
    }
    const problems = (widget('Problems answered')?.properties.metrics ?? []).map(
      (metric) => (metric as [{ expression: string }])[0].expression,
    );
    expect(problems).toEqual([`SEARCH('{Marketplace,code,service} MetricName="DomainErrors"', 'Sum', 300)`]);
  });

  it("graphs the table-change consumers' failed batches, one series per consumer", () => {
    const failures = (widget('Table-change consumers')?.properties.metrics ?? []).map(
      (metric) => (metric as [{ expression: string }])[0].expression,
    );
    expect(failures).toEqual([
      `SEARCH('{Marketplace,consumer,service} MetricName="TableChangeConsumerFailures"', 'Sum', 300)`,
    ]);
  });

  it("graphs every dead-letter queue's depth and Stripe's event lag", () => {
    const depths = JSON.stringify(widget('Dead-letter queues')?.properties.metrics);
    const queues = logicalIdsOf('AWS::SQS::Queue').filter((id) => /DeadLetters/.test(id));
    // The table-change fan-out's, the archiver's, the Stripe events' and the webhook attempts'.
    expect(queues.length).toBeGreaterThanOrEqual(4);
    for (const queue of queues) expect(depths).toContain(`{GetAtt:${queue}.QueueName}`);
    const lag = JSON.stringify(widget('Stripe events')?.properties.metrics);
    expect(lag).toContain('["Marketplace","StripeEventLag","service","marketplace"');
    for (const statistic of ['p50', 'p99', 'Maximum']) expect(lag).toContain(`"stat":"${statistic}"`);
  });
});
