import { useEffect, useState } from 'preact/hooks';
import { characters } from '../api/endpoints.ts';
import { type ApiError, asApiError } from '../api/errors.ts';
import type { Character, CharacterStats } from '../api/types.ts';
import { Busy } from '../components/busy.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { usePaged } from '../lib/use-paged.ts';
import { useTitle } from '../lib/use-title.ts';

export const portraitWords: Record<Character['portraitStatus'], string> = {
  NONE: 'No portrait',
  QUEUED: 'Portrait queued',
  RUNNING: 'Portrait being painted',
  READY: 'Portrait ready',
  FAILED: 'Portrait failed',
};

function Counts({ title, counts }: { title: string; counts: Record<string, number> }) {
  const entries = Object.entries(counts);
  if (!entries.length) return null;
  return (
    <div>
      <h3>{title}</h3>
      <ul class="counts">
        {entries.map(([name, count]) => (
          <li key={name}>
            {name ? `${name.charAt(0).toLocaleUpperCase()}${name.slice(1)}` : 'Not set'}: {count}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Stats() {
  const [stats, setStats] = useState<CharacterStats>();
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    characters
      .stats()
      .then(setStats)
      .catch((failure) => setError(asApiError(failure)));
  }, []);
  return (
    <section class="panel" aria-labelledby="stats-heading">
      <h2 id="stats-heading">At a glance</h2>
      {error ? (
        <ErrorNotice error={error} />
      ) : !stats ? (
        <Busy label="Counting your characters…" />
      ) : (
        <>
          <p>
            {stats.total} {stats.total === 1 ? 'character' : 'characters'}, {stats.withPortrait} with a
            portrait.
            {stats.latest && (
              <>
                {' '}
                Latest:{' '}
                <a href={`/characters/${encodeURIComponent(stats.latest.characterId)}`}>
                  {stats.latest.name}
                </a>
                .
              </>
            )}
          </p>
          <div class="stats-columns">
            <Counts title="By gender" counts={stats.byGender} />
            <Counts title="By age" counts={stats.byAgeBracket} />
          </div>
        </>
      )}
    </section>
  );
}

export function CharactersPage() {
  useTitle('Characters');
  const list = usePaged('characters', (cursor) => characters.list(cursor));
  return (
    <section>
      <h1>Characters</h1>
      <p>
        Keep the people and creatures of your stories; Easel paints a portrait of each from its attributes.{' '}
        <a class="button primary" href="/characters/new">
          New character
        </a>
      </p>
      <Stats />
      <h2>Your characters</h2>
      {list.started && !list.error && list.items.length === 0 && <p class="empty">No characters yet.</p>}
      <ul class="image-grid">
        {list.items.map((character) => (
          <li key={character.characterId} class="image-card">
            <a class="image-card-link" href={`/characters/${encodeURIComponent(character.characterId)}`}>
              <span class="image-box">
                {character.portraitStatus === 'READY' && character.urls ? (
                  <img src={character.urls.thumbnail} alt={`Portrait of ${character.name}`} loading="lazy" />
                ) : (
                  <span class="placeholder">{portraitWords[character.portraitStatus]}</span>
                )}
              </span>
              <span class="image-card-caption">{character.name}</span>
            </a>
            <p class="meta image-card-footer">
              {[character.age !== undefined ? `${character.age} years` : '', character.gender ?? '']
                .filter(Boolean)
                .join(' · ') || portraitWords[character.portraitStatus]}
            </p>
          </li>
        ))}
      </ul>
      <LoadMore list={list} label="characters" />
    </section>
  );
}
