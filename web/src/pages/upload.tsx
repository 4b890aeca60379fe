import { useEffect, useRef, useState } from 'preact/hooks';
import { images } from '../api/endpoints.ts';
import { ApiError } from '../api/errors.ts';
import type { ImageDetail } from '../api/types.ts';
import { uploadFile } from '../api/upload.ts';
import { Busy } from '../components/busy.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { FileDrop } from '../components/file-drop.tsx';
import { catalogueError, config, loadCatalogue } from '../lib/catalogue.ts';
import { formatBytes } from '../lib/format.ts';
import { useAction } from '../lib/use-action.ts';
import { usePolling } from '../lib/use-polling.ts';
import { useTitle } from '../lib/use-title.ts';

const settled = (image: ImageDetail) =>
  image.status === 'FAILED' || (image.status === 'READY' && image.descriptionStatus !== 'PENDING');

function UploadResult({ imageId }: { imageId: string }) {
  const polled = usePolling(imageId, (id, signal) => images.get(id, signal), settled);
  const image = polled.value;
  return (
    <section class="panel" aria-labelledby="upload-result-heading">
      <h2 id="upload-result-heading">Your upload</h2>
      <ErrorNotice error={polled.error} />
      {!image || image.status === 'PENDING' ? (
        <Busy label="Checking and storing the image…" />
      ) : image.status === 'FAILED' ? (
        <p class="notice notice-error" role="alert">
          The image was refused{image.error ? `: ${image.error.message}` : '.'}
        </p>
      ) : (
        <>
          {image.descriptionStatus === 'PENDING' ? (
            <Busy label="Writing a description…" />
          ) : image.descriptionStatus === 'READY' ? (
            <>
              <h3>Description</h3>
              <p class="description">{image.description}</p>
            </>
          ) : (
            <p class="notice notice-error">The description could not be written.</p>
          )}
          <p>
            <a href={`/images/${encodeURIComponent(image.imageId)}`}>Open the image</a>
          </p>
        </>
      )}
    </section>
  );
}

export function UploadPage() {
  useTitle('Upload');
  useEffect(() => {
    loadCatalogue();
  }, []);
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<string>();
  const [progress, setProgress] = useState(0);
  const [imageId, setImageId] = useState<string>();
  const controller = useRef<AbortController | undefined>(undefined);
  const limits = config.value?.uploads;

  useEffect(() => {
    if (!file) return;
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const upload = useAction(async (chosen: File) => {
    setProgress(0);
    setImageId(undefined);
    controller.current = new AbortController();
    const ticket = await uploadFile(chosen, 'describe', setProgress, controller.current.signal);
    if (!ticket.imageId)
      throw new ApiError(0, 'BAD_RESPONSE', 'The server did not say which image the upload became.');
    setImageId(ticket.imageId);
  });

  const choose = (chosen: File) => {
    setImageId(undefined);
    if (limits && !limits.acceptedTypes.includes(chosen.type)) {
      upload.setError(
        new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `${chosen.name} is not a PNG, JPEG or WebP image.`),
      );
      setFile(undefined);
      return;
    }
    if (limits && chosen.size > limits.maxPresignedBytes) {
      upload.setError(
        new ApiError(
          413,
          'PAYLOAD_TOO_LARGE',
          `${chosen.name} is ${formatBytes(chosen.size)}; the limit is ${formatBytes(limits.maxPresignedBytes)}.`,
        ),
      );
      setFile(undefined);
      return;
    }
    upload.setError(undefined);
    setFile(chosen);
  };

  return (
    <section>
      <h1>Upload an image</h1>
      <p>
        {`Upload a PNG, JPEG or WebP image${limits ? ` of up to ${formatBytes(limits.maxPresignedBytes)}` : ''}. `}
        Easel stores it without its metadata and writes a description of it.
      </p>
      <ErrorNotice error={catalogueError.value} />
      <FileDrop
        accept={limits?.acceptedTypes ?? ['image/png', 'image/jpeg', 'image/webp']}
        onFile={choose}
        disabled={upload.pending}
      />
      <ErrorNotice error={upload.error} />
      {file && preview && (
        <div class="upload-preview">
          <img src={preview} alt={`Preview of ${file.name}`} />
          <p>
            {file.name} · {formatBytes(file.size)}
          </p>
          {upload.pending ? (
            <>
              <label>
                Uploading: {Math.round(progress * 100)} %
                <progress max={1} value={progress} />
              </label>
              <button type="button" class="button secondary" onClick={() => controller.current?.abort()}>
                Cancel
              </button>
            </>
          ) : (
            !imageId && (
              <button type="button" class="button primary" onClick={() => upload.run(file)}>
                Upload and describe
              </button>
            )
          )}
        </div>
      )}
      {imageId && <UploadResult imageId={imageId} />}
    </section>
  );
}
