import { loadOriginSecret } from '../shared/adapters/secrets.ts';
import { liveConnections, profiles } from '../shared/composition/table.ts';
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
const deps: LiveDeps = {
  connections: liveConnections(config),
  clock: systemClock,
  newTicket: newToken,
};

export const handler = httpRouter(
  [bind(routes.createLiveTicket, async ({ caller }) => created(await issueTicket(deps, caller.userId)))],
  { ...authOptions(profiles(config)), originSecret },
);
