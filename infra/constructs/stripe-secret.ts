import { SecretValue, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The Stripe settings of the functions that call Stripe: JSON
 * `{"secretKey","webhookSecret","connectWebhookSecret"}`, created with all three empty for the
 * operator to fill in after the first deploy with `npm run configure -- stripe`; until then those
 * functions answer 503 and GET /health names the missing fields. `webhookSecret` signs the deliveries
 * of the endpoint for the platform account's events; `connectWebhookSecret`, left empty when there is
 * none, those of a second endpoint at the same URL for connected accounts' events. CloudFormation
 * writes this placeholder only when it creates the secret, so later deploys leave the operator's
 * values alone.
 */
export class StripeSecret extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description:
        'Stripe settings of the marketplace: {"secretKey":"sk_...","webhookSecret":"whsec_...",' +
        '"connectWebhookSecret":"whsec_..."} (the signing secrets of the endpoints pointing at ' +
        'POST /webhooks/stripe: the one for account events, and the one for Connect events if any). ' +
        'Fill it in with npm run configure -- stripe.',
      secretObjectValue: {
        secretKey: SecretValue.unsafePlainText(''),
        webhookSecret: SecretValue.unsafePlainText(''),
        connectWebhookSecret: SecretValue.unsafePlainText(''),
      },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Every value is issued by Stripe and rolled in the Stripe Dashboard (Stripe offers no API to roll ' +
        'a secret key or an endpoint signing secret), so a Secrets Manager rotation function would have ' +
        'nothing to call; the operator rolls them there and puts the new values in this secret.',
    });
  }
}
