import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { requiredVariable, resourceVariables } from '#shared/config/function-resources.ts';
import { onFirstUse } from '#shared/config/on-first-use.ts';
import { SesMailer } from '#shared/notifications/mailer.ts';
import { UserDirectory } from '#shared/notifications/user-directory.ts';
import { traced } from '#shared/observability/tracer.ts';

/** Composition root of the notifier's mail and the user pool it reads addresses from, made at first use. */
export const mailer = onFirstUse(
  () =>
    new SesMailer(
      traced(new SESv2Client({})),
      requiredVariable(resourceVariables.notificationSender),
      requiredVariable(resourceVariables.notificationConfigurationSet),
    ),
);

export const userDirectory = onFirstUse(
  () =>
    new UserDirectory(
      traced(new CognitoIdentityProviderClient({})),
      requiredVariable(resourceVariables.userPoolId),
    ),
);
