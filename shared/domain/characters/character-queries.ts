import type { ImageRecord } from '../images/image.ts';
import { imageUrls } from '../images/image-queries.ts';
import * as listings from '../listings.ts';
import { type Paged, type PageQuery, paged } from '../paging.ts';
import type { CharacterStore, CursorCodec, ImageStore, ObjectStorage } from '../ports.ts';
import { characterView } from './characters.ts';
import type { CharacterRecord } from './ports.ts';

/** What showing a character takes: its portrait's record and the URLs of its copies. */
export interface CharacterViewDeps {
  readonly images: Pick<ImageStore, 'get' | 'getMany'>;
  readonly storage: ObjectStorage;
  readonly cdnBaseUrl: string;
}

/**
 * The character as the API shows it, with its portrait's URLs once the portrait is READY.
 * `portraits` holds the portraits of a page read together; without it the portrait is read.
 */
export async function showCharacter(
  deps: CharacterViewDeps,
  character: CharacterRecord,
  portraits?: ReadonlyMap<string, ImageRecord>,
) {
  const id = character.portraitImageId;
  const portrait = id ? (portraits ? portraits.get(id) : await deps.images.get(id)) : undefined;
  const ready = portrait?.status === 'READY';
  return characterView(
    character,
    ready ? await imageUrls(deps.storage, deps.cdnBaseUrl, portrait) : undefined,
  );
}

/** A page of the owner's characters, each with its portrait. */
export async function charactersPage(
  deps: CharacterViewDeps & {
    readonly characters: Pick<CharacterStore, 'listByOwner'>;
    readonly cursors: CursorCodec;
  },
  ownerId: string,
  page: PageQuery,
): Promise<Paged<Awaited<ReturnType<typeof showCharacter>>>> {
  const found = await paged(listings.characters(ownerId), deps.cursors, page, (options) =>
    deps.characters.listByOwner(ownerId, options),
  );
  // Every portrait of the page in one read, not one read per character.
  const portraits = await deps.images.getMany(
    found.items.flatMap((character) => (character.portraitImageId ? [character.portraitImageId] : [])),
  );
  return {
    ...found,
    items: await Promise.all(found.items.map((character) => showCharacter(deps, character, portraits))),
  };
}
