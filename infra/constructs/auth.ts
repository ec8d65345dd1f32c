import { Annotations, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  FeaturePlan,
  LambdaVersion,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolEmail,
  UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { roles } from '#shared/domain/caller.ts';
import { HandlerFunction } from './handler-function.ts';
import { dataRemovalPolicy } from './removal.ts';

/** Cognito's feature plans that can customise access tokens, as the privileged-groups trigger does. */
export const featurePlans = ['essentials', 'plus'] as const;

/** How users sign in, set by the operator with `cdk deploy -c` (see docs/configuration.md). */
export interface SignInSettings {
  /** Lets the client use USER_PASSWORD_AUTH, which sends the password itself to Cognito, besides SRP. */
  readonly allowPasswordAuth: boolean;
  /** Plus adds threat protection, billed per monthly active user. */
  readonly featurePlan: (typeof featurePlans)[number];
  /** Cognito's own sender, limited to a few dozen emails a day, unless given. */
  readonly sesSender?: SesSender;
}

/** An address verified in Amazon SES that Cognito sends sign-up and password-reset mail from. */
export interface SesSender {
  readonly fromEmail: string;
  readonly fromName?: string;
  readonly replyTo?: string;
  /** Where the SES identity is verified, when not in the stack's region. */
  readonly region?: string;
}

export interface MarketplaceAuthProps {
  /** Blocks deletion of the user pool and keeps it when the stack is deleted. */
  readonly deletionProtection: boolean;
  readonly signIn: SignInSettings;
}

/** The Cognito user pool whose groups are the API's roles, and the JWT authorizer that trusts it. */
export class MarketplaceAuth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly authorizer: IHttpRouteAuthorizer;

  constructor(scope: Construct, id: string, props: MarketplaceAuthProps) {
    super(scope, id);
    const plus = props.signIn.featurePlan === 'plus';
    this.userPool = new UserPool(this, 'UserPool', {
      // Anyone may register and becomes a buyer (see join-buyers); only an operator grants other roles.
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      // Essentials at least: the privileged-groups trigger needs V2_0 events to change access tokens.
      ...(plus
        ? {
            featurePlan: FeaturePlan.PLUS,
            // Standard authentication only: the client allows no custom authentication flow.
            standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
          }
        : { featurePlan: FeaturePlan.ESSENTIALS }),
      email: this.mailSender(props.signIn.sesSender),
      deletionProtection: props.deletionProtection,
      removalPolicy: dataRemovalPolicy(props.deletionProtection),
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'Buyers sign themselves up and must be able to order without first enrolling an authenticator; ' +
        'every user can turn on TOTP MFA (Mfa.OPTIONAL), admin and finance tokens need it (see ' +
        'privileged-groups-need-mfa), and SMS is off to avoid SIM-swap and SMS costs.',
    });
    if (!plus) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason:
          'Threat protection needs the Cognito Plus feature plan, billed per monthly active user; this ' +
          'open-source default stays on Essentials and operators opt in with -c cognitoFeaturePlan=plus.',
      });
    }

    for (const role of roles) {
      this.userPool.addGroup(`${role}Group`, { groupName: role });
    }
    this.addSelfSignUpsToBuyers();
    this.requireMfaForPrivilegedGroups();

    this.client = this.userPool.addClient('ApiClient', {
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: props.signIn.allowPasswordAuth },
      disableOAuth: true,
      preventUserExistenceErrors: true,
    });

    // The ProviderURL attribute lacks the https:// scheme the JWT issuer must carry, so spell it out.
    const issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
    this.authorizer = new HttpJwtAuthorizer('CognitoJwt', issuer, {
      jwtAudience: [this.client.userPoolClientId],
    });
  }

  private mailSender(sesSender: SesSender | undefined): UserPoolEmail {
    if (sesSender) {
      const { region, ...sender } = sesSender;
      // The stack is region-agnostic, so the identity is looked for in the region it is deployed to.
      return UserPoolEmail.withSES({ ...sender, sesRegion: region ?? Stack.of(this).region });
    }
    Annotations.of(this).addWarningV2(
      'marketplace:cognito-default-email',
      'Cognito sends sign-up verification and password-reset mail with its default sender, which ' +
        'allows about 50 emails a day per account: give -c sesFromEmail=<an address verified in ' +
        'Amazon SES> (docs/configuration.md).',
    );
    return UserPoolEmail.withCognito();
  }

  private addSelfSignUpsToBuyers(): void {
    const trigger = new HandlerFunction(this, 'JoinBuyers', { handler: 'identity/join-buyers' });
    this.userPool.addTrigger(UserPoolOperation.POST_CONFIRMATION, trigger.function);
    this.allowOnThisAccountsPools(trigger, 'cognito-idp:AdminAddUserToGroup', 'adds users to groups');
  }

  /** Admin and finance reach the tokens only of users with TOTP turned on (see privileged-groups-need-mfa). */
  private requireMfaForPrivilegedGroups(): void {
    const trigger = new HandlerFunction(this, 'PrivilegedGroupsNeedMfa', {
      handler: 'identity/privileged-groups-need-mfa',
      // Cognito gives a trigger 5 seconds before it fails the sign-in.
      timeout: Duration.seconds(5),
    });
    this.userPool.addTrigger(
      UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      trigger.function,
      LambdaVersion.V2_0,
    );
    this.allowOnThisAccountsPools(
      trigger,
      'cognito-idp:AdminGetUser',
      'reads users (their attributes and MFA settings)',
    );
  }

  /** Naming this pool's ARN would make the pool depend on the trigger's policy and the policy on the pool. */
  private allowOnThisAccountsPools(trigger: HandlerFunction, action: string, whatItDoes: string): void {
    trigger.role.addToPolicy(
      new PolicyStatement({
        actions: [action],
        resources: [
          Stack.of(this).formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: '*' }),
        ],
      }),
    );
    Validations.of(trigger.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cognito-idp:<AWS::Region>:<AWS::AccountId>:userpool/*]',
      reason:
        "The trigger's pool cannot be named in its own trigger's policy without a circular dependency; the " +
        `one action allowed (${action}) only ${whatItDoes} of pools in this account and region.`,
    });
  }
}
