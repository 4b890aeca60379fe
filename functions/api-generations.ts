import { characterRepository } from '../shared/adapters/character-repository.ts';
import { cognitoClient } from '../shared/adapters/clients/cognito.ts';
import { dynamoDocumentClient } from '../shared/adapters/clients/dynamodb.ts';
import { sqsClient } from '../shared/adapters/clients/sqs.ts';
import { cognitoUserDirectory } from '../shared/adapters/cognito-user-directory.ts';
import { profileRepository } from '../shared/adapters/profile-repository.ts';
import { loadCursorCodec, loadOriginSecret } from '../shared/adapters/secrets.ts';
import { announcedJobRepository } from '../shared/adapters/socket-job-events.ts';
import { sqsJobQueue } from '../shared/adapters/sqs-job-queue.ts';
import { loadConfig } from '../shared/config.ts';
import { requesterOf } from '../shared/domain/accounts/accounts.ts';
import {
  type CreateGenerationDeps,
  createGeneration,
} from '../shared/domain/generation/create-generation.ts';
import { generationSettings } from '../shared/domain/generation/generation-settings.ts';
import { jobView } from '../shared/domain/generation/jobs.ts';
import { getOwnJob } from '../shared/domain/generation/jobs-queries.ts';
import { systemClock } from '../shared/domain/ports.ts';
import { functionConfig } from '../shared/function-config.ts';
import { authOptions } from '../shared/http/auth-options.ts';
import { accepted, ok } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes/api-generations.ts';
import { newId } from '../shared/ids.ts';

const config = loadConfig(functionConfig['api-generations']);
// Both keys at once: a cold start waits for the slower, not for the two in turn.
const [originSecret, cursors] = await Promise.all([loadOriginSecret(config), loadCursorCodec(config)]);
const db = dynamoDocumentClient();
const jobs = announcedJobRepository(db, config);
const profiles = profileRepository(db, config.TABLE_NAME);
const accounts = {
  directory: cognitoUserDirectory(cognitoClient(), config.USER_POOL_CLIENT_ID),
  profiles,
  clock: systemClock,
};
const deps: CreateGenerationDeps = {
  jobs,
  queue: sqsJobQueue(sqsClient(), config.JOBS_QUEUE_URL),
  clock: systemClock,
  newId,
  settings: generationSettings(config),
  characters: characterRepository(db, config.TABLE_NAME),
};

export const handler = httpRouter(
  [
    bind(routes.createGeneration, async ({ caller, body, headers, correlationId }) =>
      accepted(
        await createGeneration(deps, await requesterOf(accounts, caller), body, {
          idempotencyKey: headers['idempotency-key'],
          correlationId,
        }),
      ),
    ),
    bind(routes.getJob, async ({ caller, params }) =>
      ok(jobView(await getOwnJob(jobs, caller.userId, params.jobId))),
    ),
    bind(routes.listJobs, async ({ caller, query }) => {
      const binding = `jobs:${caller.userId}:${query.status ?? ''}`;
      const page = await jobs.listByOwner(caller.userId, {
        status: query.status,
        limit: query.limit,
        startKey: cursors.decode(query.cursor, binding),
      });
      return ok({ items: page.items.map(jobView), nextCursor: cursors.encode(page.lastKey, binding) });
    }),
  ],
  { ...authOptions(profiles), originSecret },
);
