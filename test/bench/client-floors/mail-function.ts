import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import * as z from 'zod';
import { eventEntryPoint } from '#shared/observability/entry-point.ts';
import { traced } from '#shared/observability/tracer.ts';
import { handler as baseline } from '../bundle-baseline.ts';

const mail = traced(new SESv2Client({}));
const users = traced(new CognitoIdentityProviderClient({}));
const input = z.object({ userId: z.string() });

/**
 * The least the notifier carries before any code of its own: the baseline, the SES and Cognito clients
 * it mails and reads addresses with, zod and the entry point's observability (issue 16).
 */
export const handler = eventEntryPoint(async (event: unknown) => [
  input.safeParse(event).success,
  await baseline(),
  await mail.config.region(),
  await users.config.region(),
]);
