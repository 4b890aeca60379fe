import { cognitoClient, dynamoDocumentClient } from '../shared/adapters/aws-clients.ts';
import { cognitoUserDirectory } from '../shared/adapters/cognito-user-directory.ts';
import { profileRepository } from '../shared/adapters/profile-repository.ts';
import { loadOriginSecret } from '../shared/adapters/secrets.ts';
import { loadConfig } from '../shared/config.ts';
import { type AccountDeps, getProfile, updateProfile } from '../shared/domain/accounts/accounts.ts';
import { systemClock } from '../shared/domain/accounts/ports.ts';
import { functionConfig } from '../shared/function-config.ts';
import { authOptions } from '../shared/http/auth-options.ts';
import { ok } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes.ts';

const config = loadConfig(functionConfig['api-me']);
const originSecret = await loadOriginSecret(config);
const profiles = profileRepository(dynamoDocumentClient(), config.TABLE_NAME);
const deps: AccountDeps = {
  directory: cognitoUserDirectory(cognitoClient(), config.USER_POOL_CLIENT_ID),
  profiles,
  clock: systemClock,
  quotaPerDay: config.QUOTA_PER_DAY,
};

export const handler = httpRouter(
  [
    bind(routes.getMe, async ({ caller }) => ok(await getProfile(deps, caller))),
    bind(routes.patchMe, async ({ caller, body }) => ok(await updateProfile(deps, caller, body))),
  ],
  { ...authOptions(profiles), originSecret },
);
