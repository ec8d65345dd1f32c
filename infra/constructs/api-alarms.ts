import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { OperatorAlerts } from './alerts.ts';

/**
 * Alarms the operators when the API answers 5xx: every 500 is a failure the caller could not fix
 * (a 503 while Stripe is not configured among them), so a handful in five minutes is worth a look.
 */
export function alarmOnServerErrors(scope: Construct, api: HttpApi, alerts: OperatorAlerts): Alarm {
  const alarm = new Alarm(scope, 'ApiServerErrorsAlarm', {
    metric: api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
    threshold: 5,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    alarmDescription:
      'The API answered 5xx at least 5 times in 5 minutes. Find the requests by their requestId in the ' +
      "functions' logs (each 500 logs its error) and the operations dashboard's API widgets.",
  });
  alerts.notify(alarm);
  return alarm;
}
