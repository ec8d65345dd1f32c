import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import {
  type Counter,
  counters,
  domainErrorsMetric,
  stripeEventLagMetric,
  tableChangeConsumerFailuresMetric,
} from '#shared/observability/metric-names.ts';
import { metricsNamespace, serviceName } from './handler-function.ts';

const period = Duration.minutes(5);

/** The stack's own metrics, as the functions write them (shared/observability/metrics.ts). */
export class BusinessMetrics {
  private readonly namespace: string;

  constructor(scope: Construct) {
    this.namespace = metricsNamespace(scope);
  }

  /** A counter's sum per five minutes. */
  counter(name: Counter, label?: string): Metric {
    return new Metric({
      namespace: this.namespace,
      metricName: name,
      dimensionsMap: { service: serviceName },
      statistic: 'Sum',
      period,
      ...(label ? { label } : {}),
    });
  }

  /** Every business counter, labelled for a graph. */
  counters(): Metric[] {
    return Object.values(counters).map((name) => this.counter(name, name));
  }

  /** The requests answered with each problem code: one series per code. */
  domainErrorsByCode(): MathExpression {
    return new MathExpression({
      expression: `SEARCH('{${this.namespace},code,service} MetricName="${domainErrorsMetric}"', 'Sum', 300)`,
      label: 'Problem answers by code',
      period,
    });
  }

  /** The table-change consumers' failed batches, as the fan-out counts them: one series per consumer. */
  tableChangeConsumerFailuresByConsumer(): MathExpression {
    return new MathExpression({
      expression: `SEARCH('{${this.namespace},consumer,service} MetricName="${tableChangeConsumerFailuresMetric}"', 'Sum', 300)`,
      label: 'Failed batches by consumer',
      period,
    });
  }

  /** How long Stripe's events took from their creation to being applied, in seconds; labelled for a graph. */
  stripeEventLag(statistic: 'p50' | 'p99' | 'Maximum', label?: string): Metric {
    return new Metric({
      namespace: this.namespace,
      metricName: stripeEventLagMetric,
      dimensionsMap: { service: serviceName },
      statistic,
      period,
      ...(label ? { label } : {}),
    });
  }
}
