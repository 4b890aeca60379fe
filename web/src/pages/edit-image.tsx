import { useEffect, useRef, useState } from 'preact/hooks';
import { images, jobs } from '../api/endpoints.ts';
import { holdLiveUpdates } from '../api/live.ts';
import { uploadFile } from '../api/upload.ts';
import { Busy } from '../components/busy.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field, SelectField } from '../components/field.tsx';
import { Form } from '../components/form.tsx';
import { JobImages } from '../components/job-images.tsx';
import { JobProgress, useJob } from '../components/job-progress.tsx';
import { MaskPainter, maskPng } from '../components/mask-painter.tsx';
import { config, loadCatalogue } from '../lib/catalogue.ts';
import { idempotencyKey } from '../lib/idempotency.ts';
import { formText } from '../lib/use-action.ts';
import { usePolling } from '../lib/use-polling.ts';
import { useTitle } from '../lib/use-title.ts';

export function EditImagePage({ imageId }: { imageId: string }) {
  useTitle('Edit an image');
  useEffect(() => {
    loadCatalogue();
  }, []);
  // Job changes are pushed while the page is open; it polls only without the socket.
  useEffect(() => holdLiveUpdates(), []);
  const source = usePolling(
    imageId,
    (id, signal) => images.get(id, signal),
    () => true,
  );
  const strokes = useRef<HTMLCanvasElement>(null);
  const [maskProgress, setMaskProgress] = useState<number>();
  const [jobId, setJobId] = useState<string>();
  const job = useJob(jobId);
  const settings = config.value;

  const edit = async (form: HTMLFormElement) => {
    setJobId(undefined);
    const mask = strokes.current ? await maskPng(strokes.current) : undefined;
    let maskUploadId: string | undefined;
    if (mask) {
      setMaskProgress(0);
      maskUploadId = (await uploadFile(mask, 'mask', setMaskProgress)).uploadId;
    }
    const body = {
      imageId,
      prompt: formText(form, 'prompt'),
      maskUploadId,
      size: formText(form, 'size') || undefined,
      n: Number(formText(form, 'n') || 1),
    };
    const { key, settle } = idempotencyKey('edits', body);
    const accepted = await jobs.edit(body, key);
    settle();
    setJobId(accepted.jobId);
  };

  const image = source.value;
  if (!image) {
    return (
      <section>
        <h1>Edit an image</h1>
        {source.error ? <ErrorNotice error={source.error} /> : <Busy label="Loading the image…" />}
      </section>
    );
  }
  return (
    <section>
      <h1>Edit an image</h1>
      <p>
        Paint over the part to change, then say what should be there. Without a mask the model may change the
        whole image. The original is kept; the edit becomes a new image.
      </p>
      <Form
        onSubmit={edit}
        submit="Edit the image"
        busy="Sending…"
        preface={<MaskPainter image={image} canvas={strokes} />}
      >
        {({ fields, busy }) => (
          <>
            <Field label="What to change" name="prompt" multiline rows={3} required error={fields.prompt} />
            <div class="row">
              {settings && (
                <SelectField
                  label="Size"
                  name="size"
                  defaultValue=""
                  options={[
                    { value: '', label: 'Source size' },
                    ...settings.sizes.map((size) => ({ value: size, label: size.replace('x', ' × ') })),
                  ]}
                  error={fields.size}
                />
              )}
              {settings && (
                <SelectField
                  label="How many"
                  name="n"
                  defaultValue="1"
                  options={Array.from({ length: settings.maxImagesPerRequest }, (_, index) => ({
                    value: String(index + 1),
                    label: String(index + 1),
                  }))}
                  error={fields.n}
                />
              )}
            </div>
            {busy && maskProgress !== undefined && (
              <label>
                Sending the mask: {Math.round(maskProgress * 100)} %
                <progress max={1} value={maskProgress} />
              </label>
            )}
          </>
        )}
      </Form>
      {jobId && <JobProgress job={job.value} error={job.error} what="edit" />}
      {job.value?.status === 'SUCCEEDED' && <JobImages imageIds={job.value.imageIds} />}
    </section>
  );
}
