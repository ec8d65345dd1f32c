import {
  AdminGetUserCommand,
  type AdminGetUserCommandOutput,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler, privilegedRoles } from '#functions/identity/privileged-groups-need-mfa.ts';
import { roles } from '#shared/domain/caller.ts';

const cognito = mockClient(CognitoIdentityProviderClient);

/** A V2_0 pre token generation event as Cognito sends it, before any trigger responded. */
const tokenGeneration = (
  groups: string[],
  triggerSource: PreTokenGenerationV2TriggerEvent['triggerSource'] = 'TokenGeneration_Authentication',
) =>
  ({
    version: '2',
    triggerSource,
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_pool',
    userName: '5f2c-ada',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'apiclient' },
    request: {
      userAttributes: {
        sub: '5f2c-ada',
        'cognito:user_status': 'CONFIRMED',
        email_verified: 'true',
        email: 'ada@example.com',
      },
      groupConfiguration: { groupsToOverride: groups, iamRolesToOverride: [], preferredRole: null },
      scopes: ['aws.cognito.signin.user.admin'],
    },
    response: { claimsAndScopeOverrideDetails: null },
  }) as unknown as PreTokenGenerationV2TriggerEvent;

/** What AdminGetUser answers for a confirmed user, with the MFA factors they turned on. */
const user = (
  mfa: Partial<Pick<AdminGetUserCommandOutput, 'UserMFASettingList' | 'PreferredMfaSetting'>>,
) => ({
  Username: '5f2c-ada',
  UserAttributes: [{ Name: 'email', Value: 'ada@example.com' }],
  UserStatus: 'CONFIRMED' as const,
  Enabled: true,
  ...mfa,
});

const withTotp = user({
  UserMFASettingList: ['SOFTWARE_TOKEN_MFA'],
  PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA',
});
const withoutMfa = user({});

beforeEach(() => cognito.reset());

describe('the pre token generation trigger', () => {
  it('treats admin and finance as the privileged roles', () => {
    expect(privilegedRoles).toEqual(['admin', 'finance']);
    expect(privilegedRoles.every((role) => roles.includes(role))).toBe(true);
  });

  it('leaves the groups out of both tokens of an admin who has not turned on TOTP', async () => {
    cognito.on(AdminGetUserCommand).resolves(withoutMfa);
    const result = await handler(tokenGeneration(['admin', 'seller']));
    // groupOverrideDetails sets cognito:groups in the ID token and the access token alike.
    expect(result.response).toEqual({
      claimsAndScopeOverrideDetails: { groupOverrideDetails: { groupsToOverride: ['seller'] } },
    });
    expect(cognito.commandCalls(AdminGetUserCommand).map((call) => call.args[0].input)).toEqual([
      { UserPoolId: 'eu-west-1_pool', Username: '5f2c-ada' },
    ]);
  });

  it('issues tokens without any group to a finance user who has no other group and no TOTP', async () => {
    cognito.on(AdminGetUserCommand).resolves(withoutMfa);
    const result = await handler(tokenGeneration(['finance']));
    expect(result.response.claimsAndScopeOverrideDetails?.groupOverrideDetails?.groupsToOverride).toEqual([]);
  });

  it('keeps them out when tokens are refreshed, until TOTP is turned on', async () => {
    cognito.on(AdminGetUserCommand).resolves(withoutMfa);
    const refreshed = await handler(tokenGeneration(['admin', 'finance'], 'TokenGeneration_RefreshTokens'));
    expect(refreshed.response.claimsAndScopeOverrideDetails?.groupOverrideDetails?.groupsToOverride).toEqual(
      [],
    );
  });

  it('refuses a TOTP factor that is set up but not turned on', async () => {
    // An enrolled but not enabled factor is not asked for at sign-in: only UserMFASettingList counts.
    cognito.on(AdminGetUserCommand).resolves(user({ UserMFASettingList: [] }));
    const result = await handler(tokenGeneration(['admin']));
    expect(result.response.claimsAndScopeOverrideDetails?.groupOverrideDetails?.groupsToOverride).toEqual([]);
  });

  it('lets the tokens of a user with TOTP turned on carry admin and finance', async () => {
    cognito.on(AdminGetUserCommand).resolves(withTotp);
    const event = tokenGeneration(['admin', 'finance', 'buyer']);
    const result = await handler(event);
    expect(result).toBe(event);
    expect(result.response).toEqual({ claimsAndScopeOverrideDetails: null });
  });

  it('does not look buyers and sellers up: they sign in with or without MFA', async () => {
    const event = tokenGeneration(['buyer', 'seller']);
    expect(await handler(event)).toBe(event);
    expect(event.response).toEqual({ claimsAndScopeOverrideDetails: null });
    expect(await handler(tokenGeneration([]))).toMatchObject({
      response: { claimsAndScopeOverrideDetails: null },
    });
    expect(cognito.commandCalls(AdminGetUserCommand)).toHaveLength(0);
  });

  it('fails the sign-in rather than guess when the user cannot be read', async () => {
    cognito
      .on(AdminGetUserCommand)
      .rejects(new UserNotFoundException({ message: 'User does not exist.', $metadata: {} }));
    await expect(handler(tokenGeneration(['admin']))).rejects.toThrow('User does not exist.');
  });
});
