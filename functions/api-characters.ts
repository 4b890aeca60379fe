import { characterRepository } from '../shared/adapters/character-repository.ts';
import { cloudFrontClient } from '../shared/adapters/clients/cloudfront.ts';
import { cognitoClient } from '../shared/adapters/clients/cognito.ts';
import { dynamoDocumentClient } from '../shared/adapters/clients/dynamodb.ts';
import { s3Client } from '../shared/adapters/clients/s3.ts';
import { sqsClient } from '../shared/adapters/clients/sqs.ts';
import { cloudFrontPublicCache } from '../shared/adapters/cloudfront-public-cache.ts';
import { cognitoUserDirectory } from '../shared/adapters/cognito-user-directory.ts';
import { dynamoRateLimiter } from '../shared/adapters/dynamo-rate-limiter.ts';
import { imageRepository } from '../shared/adapters/image-repository.ts';
import { profileRepository } from '../shared/adapters/profile-repository.ts';
import { s3ObjectStorage } from '../shared/adapters/s3-object-storage.ts';
import { searchIndexRepository } from '../shared/adapters/search-index-repository.ts';
import { loadCursorCodec, loadOriginSecret } from '../shared/adapters/secrets.ts';
import { announcedJobRepository } from '../shared/adapters/socket-job-events.ts';
import { sqsJobQueue } from '../shared/adapters/sqs-job-queue.ts';
import { loadConfig } from '../shared/config.ts';
import { requesterOf } from '../shared/domain/accounts/accounts.ts';
import {
  type CharacterDeps,
  characterStats,
  characterView,
  createCharacter,
  deleteCharacter,
  getOwnCharacter,
  requestPortrait,
  updateCharacter,
} from '../shared/domain/characters/characters.ts';
import { characterOptions } from '../shared/domain/characters/options.ts';
import { portraitJobs } from '../shared/domain/characters/portrait-jobs.ts';
import type { CharacterRecord } from '../shared/domain/characters/ports.ts';
import { generationSettings } from '../shared/domain/generation/generation-settings.ts';
import { removeImage } from '../shared/domain/images/delete-image.ts';
import type { ImageRecord } from '../shared/domain/images/image.ts';
import { imageUrls } from '../shared/domain/images/image-queries.ts';
import { systemClock } from '../shared/domain/ports.ts';
import { functionConfig } from '../shared/function-config.ts';
import { authOptions } from '../shared/http/auth-options.ts';
import type { Caller } from '../shared/http/handler.ts';
import { accepted, created, noContent, ok } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes/api-characters.ts';
import { newId } from '../shared/ids.ts';

const config = loadConfig(functionConfig['api-characters']);
// Both keys at once: a cold start waits for the slower, not for the two in turn.
const [originSecret, cursors] = await Promise.all([loadOriginSecret(config), loadCursorCodec(config)]);
const db = dynamoDocumentClient();
const images = imageRepository(db, config.TABLE_NAME);
const storage = s3ObjectStorage(s3Client(), config.IMAGE_BUCKET);
const index = searchIndexRepository(db, config.TABLE_NAME);
const cache = cloudFrontPublicCache(cloudFrontClient(), config.DISTRIBUTION_ID);
const profiles = profileRepository(db, config.TABLE_NAME);
const accounts = {
  directory: cognitoUserDirectory(cognitoClient(), config.USER_POOL_CLIENT_ID),
  profiles,
  clock: systemClock,
};
const jobDeps = {
  jobs: announcedJobRepository(db, config),
  queue: sqsJobQueue(sqsClient(), config.JOBS_QUEUE_URL),
  clock: systemClock,
  newId,
};
const deps: CharacterDeps = {
  characters: characterRepository(db, config.TABLE_NAME),
  portraits: portraitJobs(jobDeps, generationSettings(config)),
  clock: systemClock,
  newId,
  removeImage: (imageId) => removeImage({ images, storage, index, cache, clock: systemClock }, imageId),
};
const writes = dynamoRateLimiter(db, config.TABLE_NAME, systemClock);
const options = Object.fromEntries(
  Object.entries(characterOptions).map(([key, values]) => [key, [...values]]),
);

const owner = (caller: Caller) => requesterOf(accounts, caller);

/** The character with its portrait's short-lived URLs, once the portrait is there. */
async function shown(character: CharacterRecord, portraits?: ReadonlyMap<string, ImageRecord>) {
  const id = character.portraitImageId;
  const portrait = id ? (portraits ? portraits.get(id) : await images.get(id)) : undefined;
  const ready = portrait?.status === 'READY';
  return characterView(
    character,
    ready ? await imageUrls(storage, config.CDN_BASE_URL, portrait) : undefined,
  );
}

export const handler = httpRouter(
  [
    bind(routes.getCharacterOptions, async () => ok(options)),
    bind(routes.createCharacter, async ({ caller, body, correlationId }) => {
      await writes.take(caller.userId, 'characters');
      return created(await shown(await createCharacter(deps, await owner(caller), body, correlationId)));
    }),
    bind(routes.listCharacters, async ({ caller, query }) => {
      const binding = `characters:${caller.userId}`;
      const page = await deps.characters.listByOwner(caller.userId, {
        limit: query.limit,
        startKey: cursors.decode(query.cursor, binding),
      });
      // Every portrait of the page in one read, not one read per character.
      const portraits = await images.getMany(
        page.items.flatMap((character) => (character.portraitImageId ? [character.portraitImageId] : [])),
      );
      return ok({
        items: await Promise.all(page.items.map((character) => shown(character, portraits))),
        nextCursor: cursors.encode(page.lastKey, binding),
      });
    }),
    bind(routes.getCharacterStats, async ({ caller }) => ok(await characterStats(deps, caller.userId))),
    bind(routes.getCharacter, async ({ caller, params }) =>
      ok(await shown(await getOwnCharacter(deps, caller.userId, params.characterId))),
    ),
    bind(routes.patchCharacter, async ({ caller, params, body, correlationId }) => {
      await writes.take(caller.userId, 'characters');
      return ok(
        await shown(
          await updateCharacter(deps, await owner(caller), params.characterId, body, correlationId),
        ),
      );
    }),
    bind(routes.createPortrait, async ({ caller, params, correlationId }) => {
      await writes.take(caller.userId, 'characters');
      return accepted(await requestPortrait(deps, await owner(caller), params.characterId, correlationId));
    }),
    bind(routes.deleteCharacter, async ({ caller, params }) => {
      await deleteCharacter(deps, caller.userId, params.characterId);
      return noContent();
    }),
  ],
  { ...authOptions(profiles), originSecret },
);
