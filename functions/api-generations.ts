import { accounts } from '../shared/composition/accounts.ts';
import { characters } from '../shared/composition/characters.ts';
import { jobDeps } from '../shared/composition/jobs.ts';
import { loadOriginSecretAndCursors } from '../shared/composition/secrets.ts';
import { profiles } from '../shared/composition/table.ts';
import { loadConfig } from '../shared/config.ts';
import { requesterOf } from '../shared/domain/accounts/accounts.ts';
import {
  type CreateGenerationDeps,
  createGeneration,
} from '../shared/domain/generation/create-generation.ts';
import { generationSettings } from '../shared/domain/generation/generation-settings.ts';
import { jobView } from '../shared/domain/generation/jobs.ts';
import { getOwnJob, jobsPage } from '../shared/domain/generation/jobs-queries.ts';
import { functionConfig } from '../shared/function-config.ts';
import { authOptions } from '../shared/http/auth-options.ts';
import { accepted, ok } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes/api-generations.ts';

const config = loadConfig(functionConfig['api-generations']);
const [originSecret, cursors] = await loadOriginSecretAndCursors(config);
const deps: CreateGenerationDeps = {
  ...jobDeps(config),
  settings: generationSettings(config),
  characters: characters(config),
};

export const handler = httpRouter(
  [
    bind(routes.createGeneration, async ({ caller, body, headers, correlationId }) =>
      accepted(
        await createGeneration(deps, await requesterOf(accounts(config), caller), body, {
          idempotencyKey: headers['idempotency-key'],
          correlationId,
        }),
      ),
    ),
    bind(routes.getJob, async ({ caller, params }) =>
      ok(jobView(await getOwnJob(deps.jobs, caller.userId, params.jobId))),
    ),
    bind(routes.listJobs, async ({ caller, query }) =>
      ok(await jobsPage({ jobs: deps.jobs, cursors }, caller.userId, query.status, query)),
    ),
  ],
  { ...authOptions(profiles(config)), originSecret },
);
