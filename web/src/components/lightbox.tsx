import { useEffect, useId, useRef } from 'preact/hooks';
import type { Image } from '../api/types.ts';
import { formatDate } from '../lib/format.ts';
import { imageAlt, imageTitle } from '../lib/image-text.ts';
import type { LikeState } from '../lib/likes.ts';
import { tileOf } from '../lib/tile.ts';
import { closeLightbox, imagePath } from '../router.ts';
import { AuthorLink } from './author-link.tsx';
import { ImageActions } from './image-actions.tsx';
import { LikeButton } from './like-button.tsx';

interface LightboxProps {
  readonly image: Image;
  /** 1-based place of the image in the listing, and how many are loaded. */
  readonly position: number;
  readonly total: number;
  readonly moreToCome: boolean;
  readonly loadingMore: boolean;
  readonly onLike: (state: LikeState) => void;
  readonly onPrevious?: () => void;
  readonly onNext?: () => void;
}

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

/**
 * Tab from the last control goes to the first, Shift+Tab from the first to the last: a modal
 * <dialog> alone would let the focus leave the page for the browser's own controls.
 */
function keepFocusInside(dialog: HTMLDialogElement, event: KeyboardEvent) {
  const controls = [
    ...dialog.querySelectorAll<HTMLElement>(
      'a[href], button:not([disabled]), select, input, textarea, [tabindex]',
    ),
  ].filter((control) => control.tabIndex >= 0 && control.getClientRects().length > 0);
  const first = controls[0];
  const last = controls.at(-1);
  if (!first || !last) return;
  const active = document.activeElement;
  const inside = active instanceof Node && dialog.contains(active);
  if (event.shiftKey && (active === first || !inside)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !inside)) {
    event.preventDefault();
    first.focus();
  }
}

/**
 * One image large, over the listing, in a modal <dialog>: the rest of the page is inert
 * while it is open, so the focus stays inside. ← and → move through the listing, Escape
 * (or a click beside the image) closes it.
 */
export function Lightbox({
  image,
  position,
  total,
  moreToCome,
  loadingMore,
  onLike,
  onPrevious,
  onNext,
}: LightboxProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const moves = useRef({ onPrevious, onNext });
  moves.current = { onPrevious, onNext };

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    close.current?.focus();
    document.documentElement.classList.add('lightbox-open');
    // On the document, not the dialog: a button that became disabled may have dropped the focus.
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Tab' && element) {
        keepFocusInside(element, event);
        return;
      }
      if (typing(event.target) || event.altKey || event.ctrlKey || event.metaKey) return;
      const move =
        event.key === 'ArrowRight'
          ? moves.current.onNext
          : event.key === 'ArrowLeft'
            ? moves.current.onPrevious
            : undefined;
      if (!move) return;
      event.preventDefault();
      move();
    };
    document.addEventListener('keydown', onKey);
    // A click on the backdrop (outside the box, where only the dialog itself is hit) closes it, as Escape does.
    const onBackdrop = (event: MouseEvent) => {
      if (event.target === element) closeLightbox();
    };
    element?.addEventListener('click', onBackdrop);
    return () => {
      element?.removeEventListener('click', onBackdrop);
      document.removeEventListener('keydown', onKey);
      document.documentElement.classList.remove('lightbox-open');
    };
  }, []);

  const ready = image.status === 'READY';
  const where = moreToCome ? `Image ${position} of ${total} loaded so far` : `Image ${position} of ${total}`;
  return (
    <dialog
      ref={dialog}
      class="lightbox"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        closeLightbox();
      }}
    >
      <div class="lightbox-body">
        <figure class="lightbox-figure">
          {ready ? (
            <img
              key={image.imageId}
              src={image.urls.display ?? image.urls.original}
              alt={imageAlt(image)}
              width={image.width}
              height={image.height}
              decoding="async"
              // The thumbnail, already loaded for the card, stands in until the original arrives.
              style={{
                backgroundImage: `url("${image.urls.thumbnail}")`,
                '--ratio': tileOf(image.width, image.height).ratio.toFixed(4),
              }}
            />
          ) : (
            <p class="placeholder">
              {image.status === 'PENDING' ? 'This image is still being processed.' : 'This image failed.'}
            </p>
          )}
        </figure>
        <div class="lightbox-info">
          <h2 id={titleId}>{imageTitle(image)}</h2>
          <p class="meta">
            by <AuthorLink userId={image.ownerId} name={image.ownerName} /> ·{' '}
            <time dateTime={image.createdAt}>{formatDate(image.createdAt)}</time>
          </p>
          {ready && <LikeButton image={image} onChange={onLike} />}
          {image.prompt && image.kind !== 'portrait' && <p class="prompt lightbox-prompt">{image.prompt}</p>}
          <ImageActions image={image} />
          <p>
            <a href={imagePath(image.imageId)}>
              Open the image’s page{image.commentCount ? ` (${image.commentCount} comments)` : ''}
            </a>
          </p>
        </div>
      </div>
      <div class="lightbox-controls">
        <button
          type="button"
          class="button secondary small"
          disabled={!onPrevious}
          onClick={() => onPrevious?.()}
        >
          <span aria-hidden="true">←</span> Previous
        </button>
        <p class="lightbox-position" aria-live="polite">
          {loadingMore ? 'Loading more images…' : where}
        </p>
        <button
          type="button"
          class="button secondary small"
          disabled={!onNext || loadingMore}
          onClick={() => onNext?.()}
        >
          Next <span aria-hidden="true">→</span>
        </button>
        <button
          ref={close}
          type="button"
          class="button primary small lightbox-close"
          onClick={() => closeLightbox()}
        >
          Close
        </button>
      </div>
    </dialog>
  );
}
