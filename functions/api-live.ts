import { dynamoDocumentClient } from '../shared/adapters/clients/dynamodb.ts';
import { liveConnectionRepository } from '../shared/adapters/live-connection-repository.ts';
import { profileRepository } from '../shared/adapters/profile-repository.ts';
import { loadOriginSecret } from '../shared/adapters/secrets.ts';
import { loadConfig } from '../shared/config.ts';
import { issueTicket, type LiveDeps } from '../shared/domain/live/live-updates.ts';
import { systemClock } from '../shared/domain/ports.ts';
import { functionConfig } from '../shared/function-config.ts';
import { authOptions } from '../shared/http/auth-options.ts';
import { created } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes/api-live.ts';
import { newToken } from '../shared/ids.ts';

const config = loadConfig(functionConfig['api-live']);
const originSecret = await loadOriginSecret(config);
const db = dynamoDocumentClient();
const deps: LiveDeps = {
  connections: liveConnectionRepository(db, config.TABLE_NAME),
  clock: systemClock,
  newTicket: newToken,
};

export const handler = httpRouter(
  [bind(routes.createLiveTicket, async ({ caller }) => created(await issueTicket(deps, caller.userId)))],
  { ...authOptions(profileRepository(db, config.TABLE_NAME)), originSecret },
);
