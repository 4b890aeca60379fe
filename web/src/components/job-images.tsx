import { useEffect, useState } from 'preact/hooks';
import { images } from '../api/endpoints.ts';
import { type ApiError, asApiError } from '../api/errors.ts';
import type { Image } from '../api/types.ts';
import { Busy } from './busy.tsx';
import { ErrorNotice } from './error-notice.tsx';
import { ImageGrid } from './image-grid.tsx';

/** The images a finished job made. */
export function JobImages({ imageIds }: { imageIds: readonly string[] }) {
  const [loaded, setLoaded] = useState<Image[]>();
  const [error, setError] = useState<ApiError>();
  const key = imageIds.join(',');
  useEffect(() => {
    const controller = new AbortController();
    setLoaded(undefined);
    setError(undefined);
    Promise.all(imageIds.map((imageId) => images.get(imageId, controller.signal)))
      .then(setLoaded)
      .catch((failure) => {
        if (!controller.signal.aborted) setError(asApiError(failure));
      });
    return () => controller.abort();
  }, [key]);
  if (error) return <ErrorNotice error={error} />;
  if (!loaded) return <Busy label="Fetching the images…" />;
  return (
    <section aria-labelledby="results-heading">
      <h2 id="results-heading">Your new {loaded.length === 1 ? 'image' : 'images'}</h2>
      <ImageGrid images={loaded} showOwner={false} lightbox={false} />
    </section>
  );
}
