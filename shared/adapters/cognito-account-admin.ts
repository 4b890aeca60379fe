import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AccountDirectoryAdmin } from '../domain/accounts/close-account.ts';

/** A user already deleted is what a repeated step wants. */
async function unlessGone(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof UserNotFoundException)) throw error;
  }
}

/** Cognito's administrative calls that deleting an account needs, on the stage's user pool. */
export function cognitoAccountAdmin(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
): AccountDirectoryAdmin {
  return {
    async disable(username) {
      const user = { UserPoolId: userPoolId, Username: username };
      await unlessGone(() => client.send(new AdminDisableUserCommand(user)));
      await unlessGone(() => client.send(new AdminUserGlobalSignOutCommand(user)));
    },
    async remove(username) {
      await unlessGone(() =>
        client.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username })),
      );
    },
  };
}
