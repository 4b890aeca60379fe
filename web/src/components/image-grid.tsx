import type { Image } from '../api/types.ts';
import { formatDate } from '../lib/format.ts';
import { imageAlt, imageTitle } from '../lib/image-text.ts';

export function ImageCard({ image, showOwner = true }: { image: Image; showOwner?: boolean }) {
  return (
    <li class="image-card">
      <a class="image-card-link" href={`/images/${encodeURIComponent(image.imageId)}`}>
        {image.status === 'READY' ? (
          <img
            src={image.urls.thumbnail}
            alt={imageAlt(image)}
            width={image.width}
            height={image.height}
            loading="lazy"
            decoding="async"
          />
        ) : (
          <span class={`placeholder placeholder-${image.status.toLowerCase()}`}>
            {image.status === 'PENDING' ? 'Processing…' : 'Failed'}
          </span>
        )}
        <span class="image-card-caption">{imageTitle(image)}</span>
      </a>
      <p class="meta">
        {showOwner && <>by {image.ownerName} · </>}
        <time dateTime={image.createdAt}>{formatDate(image.createdAt)}</time>
        {image.isPublic && !showOwner && <> · shared</>}
      </p>
    </li>
  );
}

export function ImageGrid({ images, showOwner }: { images: readonly Image[]; showOwner?: boolean }) {
  return (
    <ul class="image-grid">
      {images.map((image) => (
        <ImageCard key={image.imageId} image={image} showOwner={showOwner} />
      ))}
    </ul>
  );
}
