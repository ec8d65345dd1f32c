import { App, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import type { MarketplaceAuth } from '#infra/constructs/auth.ts';
import { deploymentSettings } from '#infra/context.ts';
import { MarketplaceStack } from '#infra/marketplace-stack.ts';
import { roles } from '#shared/domain/caller.ts';
import { cdkContext, type GetAtt, templateResources } from './template.ts';

const settingsWith = (context: Record<string, unknown>) => deploymentSettings(new App({ context })).signIn;

/** The stack deployed with `-c` settings; the rules and assertions read properties, so nothing is bundled. */
function deploy(context: Record<string, string>) {
  const app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new MarketplaceStack(app, 'Marketplace', deploymentSettings(app));
  const template = Template.fromStack(stack);
  const { userPool } = stack.node.findChild('Auth') as MarketplaceAuth;
  const acknowledgedOnPool = userPool.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.keys(entry.data as Record<string, string>))
    .map((id) => id.replace(/^Annotation::/, ''));
  const nagFindings = () =>
    new AwsSolutionsChecks()
      .validateScope(app)
      .violations.flatMap((violation) =>
        violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
      );
  return { stack, template, resources: templateResources(template), acknowledgedOnPool, nagFindings };
}

const defaultSenderWarning = Match.stringLikeRegexp('Cognito sends.*default.*sesFromEmail');

describe('sign-in context', () => {
  it('defaults to SRP only, the Essentials plan and Cognito sending mail', () => {
    expect(settingsWith({})).toEqual({ allowPasswordAuth: false, featurePlan: 'essentials' });
  });

  it('takes every option, as -c gives it (text) or cdk.json does (a boolean)', () => {
    expect(
      settingsWith({
        allowPasswordAuth: true,
        cognitoFeaturePlan: 'Plus',
        sesFromEmail: 'no-reply@shop.example',
        sesFromName: 'Shop',
        sesReplyTo: 'help@shop.example',
        sesRegion: 'eu-west-1',
      }),
    ).toEqual({
      allowPasswordAuth: true,
      featurePlan: 'plus',
      sesSender: {
        fromEmail: 'no-reply@shop.example',
        fromName: 'Shop',
        replyTo: 'help@shop.example',
        region: 'eu-west-1',
      },
    });
    expect(settingsWith({ sesFromEmail: 'no-reply@shop.example' }).sesSender).toEqual({
      fromEmail: 'no-reply@shop.example',
    });
    expect(settingsWith({ sesFromEmail: '' }).sesSender).toBeUndefined();
  });

  it.each([
    ['allowPasswordAuth', 'yes', 'Context allowPasswordAuth must be true or false, got yes'],
    [
      'cognitoFeaturePlan',
      'lite',
      'Context cognitoFeaturePlan must be essentials or plus (lite cannot put the MFA check into access tokens), got lite',
    ],
    [
      'sesFromEmail',
      'shop.example',
      'Context sesFromEmail must be an email address verified in Amazon SES, such as no-reply@shop.example, got shop.example',
    ],
    [
      'sesFromEmail',
      'no-reply@localhost',
      'Context sesFromEmail must be an email address verified in Amazon SES',
    ],
    ['sesFromEmail', 'nö-reply@shop.example', 'Context sesFromEmail must be an email address verified'],
  ])('refuses %s=%s', (name, value, message) => {
    expect(() => settingsWith({ [name]: value })).toThrow(message);
  });

  it('refuses a bad reply-to address or SES region', () => {
    const sender = { sesFromEmail: 'no-reply@shop.example' };
    expect(() => settingsWith({ ...sender, sesReplyTo: 'help at shop' })).toThrow(
      'Context sesReplyTo must be an email address, such as help@shop.example, got help at shop',
    );
    expect(() => settingsWith({ ...sender, sesRegion: 'Ireland' })).toThrow(
      'Context sesRegion must be an AWS Region code such as eu-west-1, got Ireland',
    );
  });

  it('refuses the other SES options without sesFromEmail', () => {
    for (const option of [
      { sesReplyTo: 'help@shop.example' },
      { sesFromName: 'Shop' },
      { sesRegion: 'eu-west-1' },
    ]) {
      expect(() => settingsWith(option)).toThrow(
        'Context sesFromName, sesReplyTo and sesRegion apply only to an SES sender: give sesFromEmail too',
      );
    }
  });
});

describe('the user pool as deployed by default', () => {
  const { stack, template, resources, acknowledgedOnPool } = deploy({});
  const pool = resources.theOnly('AWS::Cognito::UserPool');

  it('has a group per role', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolGroup', roles.length);
    for (const role of ['buyer', 'seller', 'admin', 'finance']) {
      template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: role });
    }
  });

  it('demands strong passwords and offers TOTP MFA, asked at every sign-in of a user who turned it on', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      // A remembered device would skip the TOTP code the admin and finance groups rely on.
      DeviceConfiguration: Match.absent(),
    });
  });

  it('makes self sign-ups buyers through a post-confirmation trigger allowed only to add users to groups', () => {
    const triggerArn = (pool.Properties.LambdaConfig as { PostConfirmation: GetAtt }).PostConfirmation;
    const actions = resources.actionsOf(triggerArn['Fn::GetAtt'][0]);
    expect(actions).toContain('cognito-idp:AdminAddUserToGroup');
    expect(actions.filter((action) => action.startsWith('dynamodb:'))).toEqual([]);
  });

  it('runs the privileged-groups check before issuing tokens, with the V2_0 event that reaches access tokens', () => {
    const { PreTokenGenerationConfig } = pool.Properties.LambdaConfig as {
      PreTokenGenerationConfig: { LambdaArn: GetAtt; LambdaVersion: string };
    };
    expect(PreTokenGenerationConfig.LambdaVersion).toBe('V2_0');
    const triggerId = PreTokenGenerationConfig.LambdaArn['Fn::GetAtt'][0];
    expect(resources.resource(triggerId)).toMatchObject({
      Metadata: { 'marketplace:handler': 'identity/privileged-groups-need-mfa' },
    });
    const actions = resources.actionsOf(triggerId).filter((action) => !action.startsWith('logs:'));
    expect(actions).toEqual(['cognito-idp:AdminGetUser']);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'cognito-idp.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [triggerId, 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuthUserPool'), 'Arn'] },
    });
  });

  it('is on the Essentials plan, which V2_0 token customisation needs, without threat protection', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'ESSENTIALS',
      UserPoolAddOns: Match.absent(),
    });
    expect(acknowledgedOnPool).toContain('AwsSolutions-COG8');
  });

  it('has a public client that signs in with SRP only (and refreshes), never sending the password', () => {
    const client = resources.theOnly('AWS::Cognito::UserPoolClient');
    expect(client.Properties.GenerateSecret).toBe(false);
    expect([...(client.Properties.ExplicitAuthFlows as string[])].sort()).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
  });

  it("sends mail with Cognito's own sender and warns that it is limited", () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: { EmailSendingAccount: 'COGNITO_DEFAULT' },
    });
    Annotations.fromStack(stack).hasWarning('/Marketplace/Auth', defaultSenderWarning);
  });
});

describe('the user pool with password sign-in, the Plus plan and an SES sender', () => {
  const { stack, template, resources, acknowledgedOnPool, nagFindings } = deploy({
    allowPasswordAuth: 'true',
    cognitoFeaturePlan: 'plus',
    sesFromEmail: 'no-reply@shop.example',
    sesFromName: 'Shop',
    sesReplyTo: 'help@shop.example',
    sesRegion: 'eu-west-1',
  });

  it('lets the client send the password too', () => {
    const client = resources.theOnly('AWS::Cognito::UserPoolClient');
    expect([...(client.Properties.ExplicitAuthFlows as string[])].sort()).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
  });

  it('enforces threat protection on the Plus plan, with no acknowledgement of COG8 left', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
    expect(acknowledgedOnPool).not.toContain('AwsSolutions-COG8');
    expect(nagFindings()).toEqual([]);
  });

  it('sends mail from the SES identity, in the region given', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        From: 'Shop <no-reply@shop.example>',
        ReplyToEmailAddress: 'help@shop.example',
        SourceArn: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':ses:eu-west-1:',
              { Ref: 'AWS::AccountId' },
              ':identity/no-reply@shop.example',
            ],
          ],
        },
      },
    });
    Annotations.fromStack(stack).hasNoWarning('/Marketplace/Auth', defaultSenderWarning);
  });
});

describe('the user pool with an SES sender and no region given', () => {
  const { template } = deploy({ sesFromEmail: 'no-reply@shop.example' });

  it("uses the SES identity of the stack's own region", () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        From: 'no-reply@shop.example',
        ReplyToEmailAddress: Match.absent(),
        SourceArn: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':ses:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':identity/no-reply@shop.example',
            ],
          ],
        },
      },
    });
  });
});
