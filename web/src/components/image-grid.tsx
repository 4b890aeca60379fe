import { useEffect, useRef, useState } from 'preact/hooks';
import { profile } from '../api/session.ts';
import type { Image } from '../api/types.ts';
import { formatDate } from '../lib/format.ts';
import { imageAlt, imageTitle } from '../lib/image-text.ts';
import type { LikeState } from '../lib/likes.ts';
import { tileOf, tileStyle } from '../lib/tile.ts';
import { imagePath, lightbox, openLightbox } from '../router.ts';
import { AuthorLink } from './author-link.tsx';
import { Lightbox } from './lightbox.tsx';
import { LikeButton } from './like-button.tsx';

interface CardProps {
  readonly image: Image;
  readonly showOwner: boolean;
  readonly onLike: (state: LikeState) => void;
  /** Open in the lightbox; otherwise the card links to the image's page. */
  readonly inPlace: boolean;
}

export function ImageCard({ image, showOwner, onLike, inPlace }: CardProps) {
  const tile = tileOf(image.width, image.height);
  return (
    <li class="image-card" style={tileStyle(tile)}>
      <a
        class="image-card-link"
        href={imagePath(image.imageId)}
        onClick={(event) => {
          if (!inPlace) return;
          if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
          event.preventDefault();
          openLightbox(image.imageId);
        }}
      >
        <span class={tile.cropped ? 'image-box cropped' : 'image-box'}>
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
        </span>
        <span class="image-card-caption">{imageTitle(image)}</span>
      </a>
      <div class="image-card-footer">
        <p class="meta">
          {showOwner && (
            <>
              by <AuthorLink userId={image.ownerId} name={image.ownerName} /> ·{' '}
            </>
          )}
          <time dateTime={image.createdAt}>{formatDate(image.createdAt)}</time>
          {image.isPublic && !showOwner && profile.value?.userId === image.ownerId && <> · shared</>}
        </p>
        {image.status === 'READY' && <LikeButton image={image} onChange={onLike} small />}
      </div>
    </li>
  );
}

/** The next page of a listing, for the lightbox to move past the last image loaded. */
export interface MoreImages {
  readonly hasMore: boolean;
  readonly loading: boolean;
  readonly loadMore: () => void;
}

interface GridProps {
  readonly images: readonly Image[];
  readonly showOwner?: boolean;
  readonly more?: MoreImages;
  /** False where the images are not a listing to browse (a job's results): cards open the image's page. */
  readonly lightbox?: boolean;
}

/**
 * Images in justified rows, each keeping its shape. A card opens its image in a lightbox
 * over the listing, which moves through the listing with the arrow keys, fetching the next
 * page when it runs out; closing it gives the focus back to the card of the image shown last.
 */
export function ImageGrid({ images, showOwner = true, more, lightbox: inPlace = true }: GridProps) {
  // Likes made here, over the listing as it was fetched.
  const [likes, setLikes] = useState<ReadonlyMap<string, LikeState>>(new Map());
  const grid = useRef<HTMLUListElement>(null);
  const shownLast = useRef<string | undefined>(undefined);
  const wantAfter = useRef<string | undefined>(undefined);
  const open = lightbox.value;
  const shown = images.map((image) => ({ ...image, ...likes.get(image.imageId) }));
  const index = open === undefined ? -1 : shown.findIndex((image) => image.imageId === open);

  const like = (imageId: string) => (state: LikeState) =>
    setLikes((previous) => new Map(previous).set(imageId, state));

  // Closed: the focus goes back to the card of the image last shown.
  useEffect(() => {
    if (open !== undefined) {
      shownLast.current = open;
      return;
    }
    const last = shownLast.current;
    shownLast.current = undefined;
    if (!last) return;
    const card = grid.current?.querySelector<HTMLAnchorElement>(
      `a.image-card-link[href="${imagePath(last)}"]`,
    );
    card?.focus({ preventScroll: true });
    card?.scrollIntoView({ block: 'nearest' });
  }, [open]);

  // The next page arrived while the lightbox waited at the end of the last one.
  useEffect(() => {
    const after = wantAfter.current;
    if (!after || lightbox.value !== after) return;
    const at = images.findIndex((image) => image.imageId === after);
    const next = images[at + 1];
    if (next) {
      wantAfter.current = undefined;
      openLightbox(next.imageId);
    } else if (!more?.hasMore) wantAfter.current = undefined;
  }, [images.length, more?.hasMore]);

  const current = index >= 0 ? shown[index] : undefined;
  const previous = index > 0 ? shown[index - 1] : undefined;
  const next = index >= 0 ? shown[index + 1] : undefined;
  return (
    <>
      <ul class="image-grid" ref={grid}>
        {shown.map((image) => (
          <ImageCard
            key={image.imageId}
            image={image}
            showOwner={showOwner}
            onLike={like(image.imageId)}
            inPlace={inPlace}
          />
        ))}
      </ul>
      {inPlace && current && (
        <Lightbox
          image={current}
          position={index + 1}
          total={shown.length}
          moreToCome={!!more?.hasMore}
          loadingMore={wantAfter.current === current.imageId && !!more?.loading}
          onLike={like(current.imageId)}
          onPrevious={previous ? () => openLightbox(previous.imageId) : undefined}
          onNext={
            next
              ? () => openLightbox(next.imageId)
              : more?.hasMore
                ? () => {
                    wantAfter.current = current.imageId;
                    more.loadMore();
                    // Re-render so the lightbox says it is fetching.
                    setLikes((value) => new Map(value));
                  }
                : undefined
          }
        />
      )}
    </>
  );
}
