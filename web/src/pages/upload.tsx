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

/** Whether the file starts as a PNG, JPEG or WebP does. */
async function looksLikeAnImage(file: File): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  const starts = (bytes: number[], at = 0) => bytes.every((byte, index) => head[at + index] === byte);
  return (
    starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) ||
    starts([0xff, 0xd8, 0xff]) ||
    (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8))
  );
}

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

  const choose = async (chosen: File) => {
    setImageId(undefined);
    // Judged by its bytes, as the server judges it: a renamed text file is no image.
    if (limits && (!limits.acceptedTypes.includes(chosen.type) || !(await looksLikeAnImage(chosen)))) {
      upload.setError(
        new ApiError(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          `${chosen.name} is not a PNG, JPEG or WebP image, whatever its name says. Choose an image file.`,
        ),
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
        onFile={(chosen) => void choose(chosen)}
        disabled={upload.pending}
      />
      <ErrorNotice error={upload.error} takeFocus />
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
