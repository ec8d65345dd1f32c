import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import type { Role } from '#shared/domain/caller.ts';
import { logger } from '#shared/logger.ts';
import { eventEntryPoint } from '#shared/observability/entry-point.ts';
import { traced } from '#shared/observability/tracer.ts';

/** Roles a token carries only for users who turned TOTP MFA on: they move money and run the platform. */
export const privilegedRoles: readonly Role[] = ['admin', 'finance'];

const isPrivileged = (group: string) => (privilegedRoles as readonly string[]).includes(group);

const cognito = traced(new CognitoIdentityProviderClient({}));

/**
 * Whether the user has TOTP turned on. Cognito then asks for a code at every sign-in (the pool
 * remembers no devices), so a token issued to them was earned with the second factor.
 */
async function hasTotpTurnedOn(event: PreTokenGenerationV2TriggerEvent): Promise<boolean> {
  const user = await cognito.send(
    new AdminGetUserCommand({ UserPoolId: event.userPoolId, Username: event.userName }),
  );
  return user.UserMFASettingList?.includes('SOFTWARE_TOKEN_MFA') ?? false;
}

/**
 * Cognito pre token generation trigger (event version 2, so the group override reaches the access
 * token as well as the ID token). A user in a privileged group without TOTP still signs in, with
 * their other groups, and can enroll TOTP with that access token; their next sign-in carries the
 * privileged groups. Buyers and sellers are never looked up.
 */
export const handler = eventEntryPoint(
  async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
    const groups = event.request.groupConfiguration.groupsToOverride ?? [];
    const privileged = groups.filter(isPrivileged);
    if (privileged.length === 0 || (await hasTotpTurnedOn(event))) return event;
    logger.warn('privileged groups left out of the tokens until the user turns on TOTP MFA', {
      userName: event.userName,
      groups: privileged,
      triggerSource: event.triggerSource,
    });
    event.response = {
      claimsAndScopeOverrideDetails: {
        groupOverrideDetails: { groupsToOverride: groups.filter((group) => !isPrivileged(group)) },
      },
    };
    return event;
  },
);
