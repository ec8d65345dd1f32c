import { AwsServiceError } from './json-protocol.ts';

/** The account and region the local endpoints' ARNs name, as a deployed stack's pseudo parameters would. */
export const localAccount = { partition: 'aws', region: 'us-east-1', accountId: '000000000000' } as const;

/**
 * Lets the function signing with `accessKeyId` perform `action` (`states:StartExecution`) on
 * `resource` (an ARN), or throws AccessDeniedException as AWS would. Locally each function signs
 * with an access key that names it, and this checks the call against that function's role policy.
 */
export type Authorize = (accessKeyId: string | undefined, action: string, resource: string) => void;

/** No policy checks: tools and tests that act as an administrator. */
export const allowEverything: Authorize = () => {};

export function accessDenied(accessKeyId: string | undefined, action: string, resource: string) {
  return new AwsServiceError(
    'AccessDeniedException',
    `User: ${accessKeyId ?? 'anonymous'} is not authorized to perform: ${action} on resource: ${resource} ` +
      `because no identity-based policy allows the ${action} action`,
  );
}

/** The credentials of the local stack's own tools and of tests acting as the account's administrator. */
export const localAdministrator = { accessKeyId: 'LocalAdministrator', secretAccessKey: 'local' } as const;

/** `authorize`, except that the local administrator may do anything. */
export const administratorOr =
  (authorize: Authorize): Authorize =>
  (accessKeyId, action, resource) => {
    if (accessKeyId !== localAdministrator.accessKeyId) authorize(accessKeyId, action, resource);
  };
