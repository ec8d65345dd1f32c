import {
  HttpIntegrationType,
  HttpRouteIntegration,
  type HttpRouteIntegrationConfig,
  IntegrationCredentials,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/**
 * The one role API Gateway invokes every route's function with. A resource-based permission per
 * function would cost a stack resource per route; this role costs one, and its grants name each
 * function (CDK moves them into managed policies once one policy outgrows IAM's size limit).
 */
export class RouteInvoker extends Construct {
  private readonly role: Role;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('apigateway.amazonaws.com') });
  }

  /** The integration of a route answered by `handler`, which this role may now invoke. */
  integrationOf(id: string, handler: IFunction): HttpRouteIntegration {
    this.role.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [handler.functionArn] }),
    );
    return new CredentialedLambdaIntegration(id, handler, this.role);
  }
}

/** A Lambda proxy integration (payload 2.0) that API Gateway calls with the invoker's role. */
class CredentialedLambdaIntegration extends HttpRouteIntegration {
  constructor(
    id: string,
    private readonly handler: IFunction,
    private readonly role: Role,
  ) {
    super(id);
  }

  bind(): HttpRouteIntegrationConfig {
    return {
      type: HttpIntegrationType.AWS_PROXY,
      uri: this.handler.functionArn,
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      credentials: IntegrationCredentials.fromRole(this.role),
    };
  }
}
