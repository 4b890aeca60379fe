import { accounts } from '../shared/composition/accounts.ts';
import { characters } from '../shared/composition/characters.ts';
import { imageRemoval } from '../shared/composition/images.ts';
import { jobDeps } from '../shared/composition/jobs.ts';
import { rateLimiter } from '../shared/composition/rate-limits.ts';
import { loadOriginSecretAndCursors } from '../shared/composition/secrets.ts';
import { storage } from '../shared/composition/storage.ts';
import { imageRecords, profiles } from '../shared/composition/table.ts';
import { loadConfig } from '../shared/config.ts';
import { requesterOf } from '../shared/domain/accounts/accounts.ts';
import { charactersPage, showCharacter } from '../shared/domain/characters/character-queries.ts';
import {
  type CharacterDeps,
  characterStats,
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
import { systemClock } from '../shared/domain/ports.ts';
import { functionConfig } from '../shared/function-config.ts';
import { authOptions } from '../shared/http/auth-options.ts';
import type { Caller } from '../shared/http/handler.ts';
import { accepted, created, noContent, ok } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes/api-characters.ts';
import { newId } from '../shared/ids.ts';

const config = loadConfig(functionConfig['api-characters']);
const [originSecret, cursors] = await loadOriginSecretAndCursors(config);
const writes = rateLimiter(config);
const deps: CharacterDeps = {
  characters: characters(config),
  portraits: portraitJobs(jobDeps(config), generationSettings(config)),
  clock: systemClock,
  newId,
  removeImage: (imageId) => removeImage(imageRemoval(config), imageId),
};
const views = { images: imageRecords(config), storage: storage(config), cdnBaseUrl: config.CDN_BASE_URL };
const options = Object.fromEntries(
  Object.entries(characterOptions).map(([key, values]) => [key, [...values]]),
);

const owner = (caller: Caller) => requesterOf(accounts(config), caller);
const shown = (character: CharacterRecord) => showCharacter(views, character);

export const handler = httpRouter(
  [
    bind(routes.getCharacterOptions, async () => ok(options)),
    bind(routes.createCharacter, async ({ caller, body, correlationId }) => {
      await writes.take(caller.userId, 'characters');
      return created(await shown(await createCharacter(deps, await owner(caller), body, correlationId)));
    }),
    bind(routes.listCharacters, async ({ caller, query }) =>
      ok(await charactersPage({ ...views, characters: deps.characters, cursors }, caller.userId, query)),
    ),
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
  { ...authOptions(profiles(config)), originSecret },
);
