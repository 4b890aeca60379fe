import { useEffect, useRef, useState } from 'preact/hooks';
import { jobs } from '../api/endpoints.ts';
import { holdLiveUpdates } from '../api/live.ts';
import { loadProfile, profile } from '../api/session.ts';
import type { CreateGenerationRequest } from '../api/types.ts';
import { Busy } from '../components/busy.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field, SelectField } from '../components/field.tsx';
import { JobImages } from '../components/job-images.tsx';
import { JobProgress, jobSettled, useJob } from '../components/job-progress.tsx';
import { StylePicker } from '../components/style-picker.tsx';
import { catalogueError, config, loadCatalogue, styles } from '../lib/catalogue.ts';
import { clearDraft, readDraft, saveDraft } from '../lib/draft.ts';
import { idempotencyKey } from '../lib/idempotency.ts';
import { formText, useAction } from '../lib/use-action.ts';
import { useTitle } from '../lib/use-title.ts';
import { navigate, place } from '../router.ts';

const remixed = ['prompt', 'style', 'size', 'quality', 'negativePrompt'] as const;

function settingsFrom(search: URLSearchParams): Record<string, string> {
  const found: Record<string, string> = {};
  for (const name of remixed) {
    const value = search.get(name);
    if (value) found[name] = value;
  }
  return found;
}

const onMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** "Use these settings" on another image, while this page is open, fills the form afresh. */
export function GeneratePage() {
  const search = place.value.search;
  return <GenerateView key={remixed.map((name) => search.get(name) ?? '').join('\u0000')} />;
}

function GenerateView() {
  useTitle('Generate');
  useEffect(() => {
    loadCatalogue();
  }, []);
  // Job changes are pushed while the page is open; it polls only without the socket.
  useEffect(() => holdLiveUpdates(), []);
  const search = place.value.search;
  const jobId = search.get('job') ?? undefined;
  const settings = config.value;
  const styleList = styles.value;

  // Read once: what was typed before a forced log-in comes back with the form.
  // Settings in the address ("Use these settings" on an image) win over a draft.
  const [draft] = useState(() => ({ ...readDraft('generate'), ...settingsFrom(search) }));
  const [quality, setQuality] = useState<string | undefined>(draft.quality);
  const [count, setCount] = useState(Number(draft.n ?? 1));
  const progress = useRef<HTMLDivElement>(null);

  const action = useAction(async (form: HTMLFormElement) => {
    // The last job's outcome belongs to the last request, not to this one.
    if (jobId) navigate('/generate', { replace: true });
    const data = new FormData(form);
    const body: CreateGenerationRequest = {
      prompt: formText(form, 'prompt'),
      style: formText(form, 'style') || undefined,
      size: formText(form, 'size') || undefined,
      quality: formText(form, 'quality') || undefined,
      n: Number(data.get('n') ?? 1),
      negativePrompt: formText(form, 'negativePrompt') || undefined,
    };
    const { key, settle } = idempotencyKey('generations', body);
    const accepted = await jobs.generate(body, key);
    settle();
    clearDraft('generate');
    navigate(`/generate?job=${encodeURIComponent(accepted.jobId)}`);
  });

  const polled = useJob(jobId);
  const job = polled.value;

  useEffect(() => {
    if (jobId) progress.current?.scrollIntoView({ block: 'nearest' });
  }, [jobId]);

  // The quota shown in the header counts what a finished job used.
  const counted = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (job && jobSettled(job) && counted.current !== job.jobId) {
      counted.current = job.jobId;
      loadProfile().catch(() => undefined);
    }
  }, [job]);

  if (!settings || !styleList) {
    return (
      <section>
        <h1>Generate</h1>
        {catalogueError.value ? (
          <>
            <ErrorNotice error={catalogueError.value} />
            <button type="button" class="button secondary" onClick={() => loadCatalogue()}>
              Try again
            </button>
          </>
        ) : (
          <Busy label="Loading the styles and settings…" />
        )}
      </section>
    );
  }

  const usage = profile.value?.usage;
  const each = settings.pricesUsd[quality ?? settings.defaultQuality];

  return (
    <section>
      <h1>Generate</h1>
      <p>
        Describe the picture you want and pick a style.
        {usage && (
          <>
            {' '}
            You have made {usage.imagesToday} of your {usage.quotaPerDay} images today.
          </>
        )}
      </p>
      <form
        class="generate-form"
        noValidate
        onInput={(event) => saveDraft('generate', event.currentTarget)}
        onChange={(event) => saveDraft('generate', event.currentTarget)}
        onSubmit={(event) => {
          event.preventDefault();
          action.run(event.currentTarget);
        }}
        onKeyDown={(event) => {
          // Ctrl+Enter (⌘+Enter on a Mac) sends the form from any of its fields, the prompt included.
          if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.isComposing) return;
          event.preventDefault();
          if (!action.pending) event.currentTarget.requestSubmit();
        }}
      >
        <ErrorNotice error={action.error} takeFocus />
        <Field
          label="Prompt"
          name="prompt"
          multiline
          rows={4}
          required
          defaultValue={draft.prompt ?? ''}
          hint={`What should the image show? Up to ${settings.maxPromptLength} characters.`}
          error={action.fields.prompt}
        />
        <StylePicker styles={styleList} defaultValue={draft.style ?? ''} error={action.fields.style} />
        <div class="row">
          <SelectField
            label="Size"
            name="size"
            defaultValue={
              draft.size && settings.sizes.includes(draft.size) ? draft.size : settings.defaultSize
            }
            options={settings.sizes.map((size) => ({ value: size, label: size.replace('x', ' × ') }))}
            error={action.fields.size}
          />
          <SelectField
            label="Quality"
            name="quality"
            defaultValue={
              draft.quality && settings.qualities.includes(draft.quality)
                ? draft.quality
                : settings.defaultQuality
            }
            options={settings.qualities.map((name) => ({
              value: name,
              label: `${name[0]!.toUpperCase()}${name.slice(1)}`,
            }))}
            onChange={setQuality}
            error={action.fields.quality}
          />
          <SelectField
            label="How many"
            name="n"
            defaultValue={draft.n ?? '1'}
            options={Array.from({ length: settings.maxImagesPerRequest }, (_, index) => ({
              value: String(index + 1),
              label: String(index + 1),
            }))}
            onChange={(value) => setCount(Number(value))}
            error={action.fields.n}
          />
        </div>
        {each !== undefined && (
          <p class="hint">
            Estimated cost: about ${(each * count).toFixed(2)} ({count} × ${each.toFixed(3)}).
          </p>
        )}
        <details class="more-options" open={!!action.fields.negativePrompt || !!draft.negativePrompt}>
          <summary>More options</summary>
          <Field
            label="Leave out"
            name="negativePrompt"
            multiline
            rows={2}
            maxLength={1000}
            defaultValue={draft.negativePrompt}
            hint="Things the image should not show."
            error={action.fields.negativePrompt}
          />
        </details>
        <p class="submit-row">
          <button class="button primary" type="submit" disabled={action.pending}>
            {action.pending ? 'Sending…' : 'Generate'}
          </button>
          <span class="hint">
            or press <kbd>{onMac ? '⌘' : 'Ctrl'}</kbd>+<kbd>Enter</kbd>
          </span>
        </p>
      </form>
      <div ref={progress}>
        {jobId && <JobProgress job={job} error={polled.error} what="generation" />}
        {jobId && job?.status === 'SUCCEEDED' && <JobImages imageIds={job.imageIds} />}
      </div>
    </section>
  );
}
