import {
  AdminGetUserCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  ListUsersInGroupCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';

const emailIn = (attributes: readonly AttributeType[] | undefined) =>
  attributes?.find((attribute) => attribute.Name === 'email')?.Value;

/** Where users' email addresses are: the Cognito user pool they sign in with. */
export class UserDirectory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  /** The address of the user whose `sub` is `userId`, or undefined for a user without one (or gone). */
  async emailOf(userId: string): Promise<string | undefined> {
    try {
      const user = await this.client.send(
        new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: userId }),
      );
      return user.Enabled === false ? undefined : emailIn(user.UserAttributes);
    } catch (error) {
      if (error instanceof UserNotFoundException) return undefined;
      throw error;
    }
  }

  /** Every enabled member of a group, such as `admin`, who has an address: their `sub` and address. */
  async membersOf(group: string): Promise<{ userId: string; email: string }[]> {
    const members: { userId: string; email: string }[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListUsersInGroupCommand({ UserPoolId: this.userPoolId, GroupName: group, NextToken }),
      );
      for (const user of page.Users ?? []) {
        const email = emailIn(user.Attributes);
        const userId = user.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
        if (user.Enabled !== false && email && userId) members.push({ userId, email });
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return members;
  }
}
