import { useEffect, useState } from 'preact/hooks';
import { characters } from '../api/endpoints.ts';
import { type ApiError, asApiError, jobFailureMessage } from '../api/errors.ts';
import type { Character, CharacterFields, CharacterOptions, PatchCharacterRequest } from '../api/types.ts';
import { Busy } from '../components/busy.tsx';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field } from '../components/field.tsx';
import { Form } from '../components/form.tsx';
import { attributeLabels, characterAttributes, characterSections } from '../lib/character-fields.ts';
import { formText, useAction } from '../lib/use-action.ts';
import { usePolling } from '../lib/use-polling.ts';
import { useTitle } from '../lib/use-title.ts';
import { navigate } from '../router.ts';
import { portraitWords } from './characters.tsx';

const portraitSettled = (character: Character) =>
  character.portraitStatus !== 'QUEUED' && character.portraitStatus !== 'RUNNING';

/** The form's values for a new character: what is filled in. */
function newCharacter(form: HTMLFormElement): CharacterFields {
  const fields: Record<string, string | number> = { name: formText(form, 'name') };
  const age = formText(form, 'age');
  if (age) fields.age = Number(age);
  for (const name of [...characterAttributes, 'notes']) {
    const value = formText(form, name);
    if (value) fields[name] = value;
  }
  return fields as CharacterFields;
}

/** What changed on an existing character; an emptied field is sent as null, which clears it. */
function changes(form: HTMLFormElement, before: Character): PatchCharacterRequest {
  const patch: Record<string, string | number | null> = {};
  const name = formText(form, 'name');
  if (name !== before.name) patch.name = name;
  const age = formText(form, 'age');
  if ((age ? Number(age) : undefined) !== before.age) patch.age = age ? Number(age) : null;
  for (const key of [...characterAttributes, 'notes'] as const) {
    const value = formText(form, key);
    if (value !== (before[key] ?? '')) patch[key] = value || null;
  }
  return patch as PatchCharacterRequest;
}

function Portrait({
  character,
  onChange,
}: {
  character: Character;
  onChange: (character: Character) => void;
}) {
  const regenerate = useAction(async () => {
    await characters.regeneratePortrait(character.characterId);
    onChange({ ...character, portraitStatus: 'QUEUED', portraitError: undefined });
  });
  const busy = character.portraitStatus === 'QUEUED' || character.portraitStatus === 'RUNNING';
  return (
    <section class="panel portrait" aria-labelledby="portrait-heading">
      <h2 id="portrait-heading">Portrait</h2>
      {character.portraitStatus === 'READY' && character.urls ? (
        <a href={character.urls.original} target="_blank" rel="noopener noreferrer">
          <img src={character.urls.thumbnail} alt={`Portrait of ${character.name}`} />
        </a>
      ) : busy ? (
        <Busy label={`${portraitWords[character.portraitStatus]}…`} />
      ) : character.portraitStatus === 'FAILED' ? (
        <p class="notice notice-error" role="alert">
          {jobFailureMessage(character.portraitError)}
        </p>
      ) : (
        <p class="empty">No portrait yet.</p>
      )}
      <button
        type="button"
        class="button secondary"
        disabled={busy || regenerate.pending}
        onClick={() => regenerate.run()}
      >
        {regenerate.pending
          ? 'Asking…'
          : character.portraitStatus === 'NONE'
            ? 'Paint a portrait'
            : 'Paint a new portrait'}
      </button>
      <ErrorNotice error={regenerate.error} />
    </section>
  );
}

export function CharacterEditPage({ characterId }: { characterId?: string }) {
  const [options, setOptions] = useState<CharacterOptions>({});
  const [optionsError, setOptionsError] = useState<ApiError>();
  const [round, setRound] = useState(0);
  const polled = usePolling(
    characterId && `${characterId}#${round}`,
    (_key, signal) => characters.get(characterId!, signal),
    portraitSettled,
    true,
  );
  const character = polled.value;
  useTitle(characterId ? (character?.name ?? 'Character') : 'New character');

  useEffect(() => {
    characters
      .options()
      .then(setOptions)
      .catch((failure) => setOptionsError(asApiError(failure)));
  }, []);

  const update = (changed: Character) => {
    polled.setValue(changed);
    if (!portraitSettled(changed)) setRound((value) => value + 1);
  };

  const save = async (form: HTMLFormElement) => {
    const portrait = (form.elements.namedItem('portrait') as HTMLInputElement | null)?.checked ?? true;
    if (!character) {
      const created = await characters.create({ ...newCharacter(form), generatePortrait: portrait });
      navigate(`/characters/${encodeURIComponent(created.characterId)}`, { replace: true });
      return;
    }
    const changed = await characters.update(character.characterId, {
      ...changes(form, character),
      ...(portrait ? {} : { regeneratePortrait: false }),
    });
    update(changed);
  };

  const remove = useAction(async () => {
    await characters.remove(characterId!);
    navigate('/characters', { replace: true });
  });

  if (characterId && !character) {
    return (
      <section>
        <h1>Character</h1>
        {polled.error ? <ErrorNotice error={polled.error} /> : <Busy label="Loading the character…" />}
      </section>
    );
  }

  const suggestions = (name: string) => {
    const values = options[name];
    return values?.length ? `options-${name}` : undefined;
  };

  return (
    <section>
      <h1>{character ? character.name : 'New character'}</h1>
      <p>
        <a href="/characters">All characters</a>
      </p>
      {optionsError && (
        <div>
          <p>The suggested values could not be loaded; you can still type your own.</p>
          <ErrorNotice error={optionsError} />
        </div>
      )}
      <div class={character ? 'character-layout with-portrait' : 'character-layout'}>
        <Form
          class="character-form"
          onSubmit={save}
          submit={character ? 'Save the changes' : 'Create the character'}
          busy="Saving…"
          actions={
            character ? (
              <ConfirmButton
                label={remove.pending ? 'Deleting…' : 'Delete'}
                question={`Delete ${character.name} and its portraits? This cannot be undone.`}
                confirmLabel="Delete the character"
                disabled={remove.pending}
                onConfirm={() => remove.run()}
              />
            ) : null
          }
          after={
            <>
              <ErrorNotice error={remove.error} />
              {Object.entries(options).map(([name, values]) => (
                <datalist key={name} id={`options-${name}`}>
                  {values?.map((value) => (
                    <option key={value} value={value} />
                  ))}
                </datalist>
              ))}
            </>
          }
        >
          {({ fields }) => (
            <>
              <div class="row">
                <Field
                  label="Name"
                  name="name"
                  required
                  maxLength={120}
                  defaultValue={character?.name}
                  error={fields.name}
                />
                <Field
                  label="Age"
                  name="age"
                  type="number"
                  min={0}
                  max={1000}
                  inputMode="numeric"
                  defaultValue={character?.age === undefined ? '' : String(character.age)}
                  error={fields.age}
                />
              </div>
              {characterSections.map((section) => (
                <fieldset key={section.title} class="attribute-group">
                  <legend>{section.title}</legend>
                  <div class="row">
                    {section.attributes.map((attribute) => (
                      <Field
                        key={attribute}
                        label={attributeLabels[attribute]}
                        name={attribute}
                        maxLength={120}
                        list={suggestions(attribute)}
                        defaultValue={character?.[attribute] ?? ''}
                        error={fields[attribute]}
                      />
                    ))}
                  </div>
                </fieldset>
              ))}
              <Field
                label="Notes"
                name="notes"
                multiline
                rows={4}
                maxLength={1000}
                defaultValue={character?.notes ?? ''}
                error={fields.notes}
              />
              <label class="checkbox">
                <input type="checkbox" name="portrait" defaultChecked />
                {character ? ' Paint a new portrait when the look changes' : ' Paint a portrait now'}
              </label>
            </>
          )}
        </Form>
        {character && <Portrait character={character} onChange={update} />}
      </div>
    </section>
  );
}
