import type { LocalUser, LocalUserDirectory } from '../user-directory.ts';
import type { Authorize } from './authorization.ts';
import {
  AwsServiceError,
  type JsonCall,
  type LocalEndpoint,
  startJsonProtocolServer,
} from './json-protocol.ts';
import { localUserPoolArn } from './resource-kinds.ts';

export interface CognitoEndpointOptions {
  readonly authorize: Authorize;
  readonly users: LocalUserDirectory;
}

const attributesOf = (user: LocalUser) => [
  { Name: 'sub', Value: user.userId },
  { Name: 'email', Value: user.email },
  { Name: 'email_verified', Value: 'true' },
];

const userPoolOf = ({ input }: JsonCall) => {
  if (typeof input.UserPoolId !== 'string' || input.UserPoolId === '') {
    throw new AwsServiceError('InvalidParameterException', 'UserPoolId is required.');
  }
  return input.UserPoolId;
};

/**
 * The Cognito user pool's reads the functions make, on this machine: a user's attributes and a
 * group's members, from the local identity's users, each call checked against the caller's role.
 */
export function startCognitoEndpoint({ authorize, users }: CognitoEndpointOptions): Promise<LocalEndpoint> {
  const authorized = (call: JsonCall) => {
    authorize(call.accessKeyId, `cognito-idp:${call.operation}`, localUserPoolArn(userPoolOf(call)));
    return call.input;
  };
  return startJsonProtocolServer({
    targetPrefix: 'AWSCognitoIdentityProviderService',
    contentType: 'application/x-amz-json-1.1',
    operations: {
      AdminGetUser(call) {
        const { Username } = authorized(call);
        const user = typeof Username === 'string' ? users.find(Username) : undefined;
        if (!user) throw new AwsServiceError('UserNotFoundException', 'User does not exist.');
        return {
          Username: user.userId,
          UserAttributes: attributesOf(user),
          Enabled: true,
          UserStatus: 'CONFIRMED',
        };
      },
      ListUsersInGroup(call) {
        const { GroupName } = authorized(call);
        const members = users.membersOf(String(GroupName));
        return {
          Users: members.map((user) => ({
            Username: user.userId,
            Attributes: attributesOf(user),
            Enabled: true,
            UserStatus: 'CONFIRMED',
          })),
        };
      },
    },
  });
}
