import {
  AdminAddUserToGroupCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import type { Role } from '#shared/domain/caller.ts';
import { logger } from '#shared/logger.ts';
import { eventEntryPoint } from '#shared/observability/entry-point.ts';
import { traced } from '#shared/observability/tracer.ts';

/** Self sign-ups become buyers; every other role is granted by an operator. */
export const selfSignUpRole: Role = 'buyer';

const cognito = traced(new CognitoIdentityProviderClient({}));

/** Cognito post-confirmation trigger. Adding a user to a group they are in already is a no-op. */
export const handler = eventEntryPoint(
  async (event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent> => {
    if (event.triggerSource !== 'PostConfirmation_ConfirmSignUp') return event;
    await cognito.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: event.userPoolId,
        Username: event.userName,
        GroupName: selfSignUpRole,
      }),
    );
    logger.info('self sign-up joined group', { userName: event.userName, group: selfSignUpRole });
    return event;
  },
);
