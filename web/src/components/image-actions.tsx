import { images } from '../api/endpoints.ts';
import { apiFile } from '../api/session.ts';
import type { Image } from '../api/types.ts';
import { canRemix, downloadName, remixHref } from '../lib/remix.ts';
import { useAction } from '../lib/use-action.ts';
import { ErrorNotice } from './error-notice.tsx';

/**
 * Download the original, and "Use these settings" to make another one like it. A shared
 * image downloads through a plain link; a private one needs the session's token, so its
 * file is fetched and then saved.
 */
export function ImageActions({ image }: { image: Image }) {
  const save = useAction(async () => {
    const file = await apiFile(images.downloadPath(image.imageId));
    const address = URL.createObjectURL(file);
    const link = document.createElement('a');
    link.href = address;
    link.download = downloadName(image);
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(address), 10_000);
  });
  if (image.status !== 'READY') return null;
  return (
    <>
      <div class="actions image-actions">
        {image.isPublic ? (
          <a class="button secondary small" href={images.downloadPath(image.imageId)} download>
            Download
          </a>
        ) : (
          <button
            type="button"
            class="button secondary small"
            disabled={save.pending}
            onClick={() => save.run()}
          >
            {save.pending ? 'Downloading…' : 'Download'}
          </button>
        )}
        {canRemix(image) && (
          <a class="button secondary small" href={remixHref(image)}>
            Use these settings
          </a>
        )}
      </div>
      <ErrorNotice error={save.error} />
    </>
  );
}
