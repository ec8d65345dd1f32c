import {
  AdminAddUserToGroupCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '#functions/identity/join-buyers.ts';

const cognito = mockClient(CognitoIdentityProviderClient);

const confirmation = (triggerSource: PostConfirmationTriggerEvent['triggerSource']) =>
  ({
    version: '1',
    triggerSource,
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_pool',
    userName: 'b1c2-user',
    callerContext: { awsSdkVersion: '3', clientId: 'client' },
    request: { userAttributes: { sub: 'b1c2-user', email: 'bob@example.com' } },
    response: {},
  }) as PostConfirmationTriggerEvent;

beforeEach(() => cognito.reset());

describe('the post-confirmation trigger', () => {
  it('puts a user who confirmed their sign-up in the buyer group and lets Cognito go on', async () => {
    const event = confirmation('PostConfirmation_ConfirmSignUp');
    expect(await handler(event)).toBe(event);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand).map((call) => call.args[0].input)).toEqual([
      { UserPoolId: 'eu-west-1_pool', Username: 'b1c2-user', GroupName: 'buyer' },
    ]);
  });

  it('leaves users alone when they confirm a forgotten password', async () => {
    await handler(confirmation('PostConfirmation_ConfirmForgotPassword'));
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
  });
});
