import { sqsClient } from '../shared/adapters/clients/sqs.ts';
import { loadOriginSecret } from '../shared/adapters/secrets.ts';
import { sqsAccountQueue } from '../shared/adapters/sqs-account-queue.ts';
import { accounts } from '../shared/composition/accounts.ts';
import { rateLimiter } from '../shared/composition/rate-limits.ts';
import { loadConfig } from '../shared/config.ts';
import {
  type AccountDeps,
  disableMfa,
  enableMfa,
  getProfile,
  startMfaSetup,
  updateProfile,
} from '../shared/domain/accounts/accounts.ts';
import { requestAccountDeletion } from '../shared/domain/accounts/close-account.ts';
import { functionConfig } from '../shared/function-config.ts';
import { authOptions } from '../shared/http/auth-options.ts';
import { noContent, ok } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes/api-me.ts';

const config = loadConfig(functionConfig['api-me']);
const originSecret = await loadOriginSecret(config);
const writes = rateLimiter(config);
const accountQueue = sqsAccountQueue(sqsClient(), config.ACCOUNTS_QUEUE_URL);
const deps: AccountDeps = {
  ...accounts(config),
  quotaPerDay: config.QUOTA_PER_DAY,
  descriptionsPerDay: config.DESCRIPTIONS_PER_DAY,
};

export const handler = httpRouter(
  [
    bind(routes.getMe, async ({ caller }) => ok(await getProfile(deps, caller))),
    bind(routes.patchMe, async ({ caller, body }) => {
      await writes.take(caller.userId, 'profile');
      return ok(await updateProfile(deps, caller, body));
    }),
    bind(routes.deleteMe, async ({ caller, correlationId }) => {
      await requestAccountDeletion({ ...deps, queue: accountQueue }, caller, correlationId);
      return { statusCode: 202 };
    }),
    bind(routes.setUpMfa, async ({ caller }) => {
      await writes.take(caller.userId, 'profile');
      return ok(await startMfaSetup(deps, caller));
    }),
    bind(routes.verifyMfa, async ({ caller, body }) => {
      await writes.take(caller.userId, 'profile');
      await enableMfa(deps, caller, body.code);
      return noContent();
    }),
    bind(routes.disableMfa, async ({ caller, body }) => {
      await writes.take(caller.userId, 'profile');
      await disableMfa(deps, caller, body?.code);
      return noContent();
    }),
  ],
  { ...authOptions(deps.profiles), originSecret },
);
