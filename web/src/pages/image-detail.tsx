import { useEffect, useState } from 'preact/hooks';
import { images } from '../api/endpoints.ts';
import { profile } from '../api/session.ts';
import type { ImageDetail } from '../api/types.ts';
import { AuthorLink } from '../components/author-link.tsx';
import { Busy } from '../components/busy.tsx';
import { Comments } from '../components/comments.tsx';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field } from '../components/field.tsx';
import { ImageActions } from '../components/image-actions.tsx';
import { LikeButton } from '../components/like-button.tsx';
import { loadCatalogue, styles } from '../lib/catalogue.ts';
import { formatDate } from '../lib/format.ts';
import { imageAlt, imageTitle } from '../lib/image-text.ts';
import { formText, useAction } from '../lib/use-action.ts';
import { usePolling } from '../lib/use-polling.ts';
import { useTitle } from '../lib/use-title.ts';
import { navigate } from '../router.ts';

// An upload is processed, or a description written, in the background: poll until both settle.
const settled = (image: ImageDetail) => image.status !== 'PENDING' && image.descriptionStatus !== 'PENDING';

function Description({ image }: { image: ImageDetail }) {
  switch (image.descriptionStatus) {
    case 'READY':
      return <p class="description">{image.description}</p>;
    case 'PENDING':
      return <Busy label="The image is being described…" />;
    case 'FAILED':
      return <p class="notice notice-error">The description could not be written.</p>;
    default:
      return <p class="empty">No description yet.</p>;
  }
}

/**
 * The image an edit was made from: its thumbnail when it can still be seen, else only the
 * link (a deleted or private parent answers 404, which needs no words here).
 */
function ParentImage({ parentImageId }: { parentImageId: string }) {
  const [parent, setParent] = useState<ImageDetail>();
  useEffect(() => {
    const controller = new AbortController();
    setParent(undefined);
    images
      .get(parentImageId, controller.signal)
      .then(setParent)
      .catch(() => undefined);
    return () => controller.abort();
  }, [parentImageId]);
  return (
    <a class="parent-image" href={`/images/${encodeURIComponent(parentImageId)}`}>
      {parent?.status === 'READY' && (
        <img
          src={parent.urls.thumbnail}
          alt=""
          width={parent.width}
          height={parent.height}
          loading="lazy"
          decoding="async"
        />
      )}
      <span>the original image</span>
    </a>
  );
}

/**
 * A shared image's link, `/s/<imageId>`: sites that unfurl links find its card there, and
 * people are sent on to this page. (Download is among the image's actions, for private images too.)
 */
function ShareLinks({ image }: { image: ImageDetail }) {
  const [copied, setCopied] = useState(false);
  const link = `${window.location.origin}/s/${encodeURIComponent(image.imageId)}`;
  return (
    <div class="actions">
      <button
        type="button"
        class="button secondary"
        onClick={() =>
          navigator.clipboard.writeText(link).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        Copy link
      </button>
      {copied && (
        <span class="notice notice-ok" role="status">
          Link copied: {link}
        </span>
      )}
    </div>
  );
}

function OwnerActions({ image, onChange }: { image: ImageDetail; onChange: (image: ImageDetail) => void }) {
  const share = useAction(async () => {
    const changed = image.isPublic ? await images.unshare(image.imageId) : await images.share(image.imageId);
    onChange({ ...image, ...changed });
  });
  const rename = useAction(async (form: HTMLFormElement) => {
    const changed = await images.update(image.imageId, { title: formText(form, 'title') });
    onChange({ ...image, ...changed });
  });
  const describe = useAction(async () => {
    await images.describe(image.imageId);
    onChange({ ...image, descriptionStatus: 'PENDING' });
  });
  const remove = useAction(async () => {
    await images.remove(image.imageId);
    navigate('/mine', { replace: true });
  });
  if (image.status === 'FAILED') {
    // Nothing was stored to share, title, edit or describe: it can only go.
    return (
      <section class="panel" aria-labelledby="manage-heading">
        <h2 id="manage-heading">Manage</h2>
        <div class="actions">
          <ConfirmButton
            label={remove.pending ? 'Deleting…' : 'Delete'}
            question="Delete this failed image? This cannot be undone."
            confirmLabel="Delete the image"
            disabled={remove.pending}
            onConfirm={() => remove.run()}
          />
        </div>
        <ErrorNotice error={remove.error} />
      </section>
    );
  }
  return (
    <section class="panel" aria-labelledby="manage-heading">
      <h2 id="manage-heading">Manage</h2>
      <form
        class="inline-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          rename.run(event.currentTarget);
        }}
      >
        <Field
          label="Title"
          name="title"
          maxLength={200}
          defaultValue={image.title ?? ''}
          error={rename.fields.title}
        />
        <button type="submit" class="button secondary" disabled={rename.pending}>
          {rename.pending ? 'Saving…' : 'Save the title'}
        </button>
      </form>
      <ErrorNotice error={rename.error} />
      <p>{image.isPublic ? 'This image is in the public gallery.' : 'Only you can see this image.'}</p>
      <div class="actions">
        <button type="button" class="button secondary" disabled={share.pending} onClick={() => share.run()}>
          {share.pending ? 'Saving…' : image.isPublic ? 'Stop sharing' : 'Share in the gallery'}
        </button>
        {image.status === 'READY' && (
          <a class="button secondary" href={`/images/${encodeURIComponent(image.imageId)}/edit`}>
            Edit with a prompt
          </a>
        )}
        {image.status === 'READY' && image.descriptionStatus !== 'PENDING' && (
          <button
            type="button"
            class="button secondary"
            disabled={describe.pending}
            onClick={() => describe.run()}
          >
            {image.descriptionStatus === 'READY' ? 'Describe again' : 'Describe it'}
          </button>
        )}
        <ConfirmButton
          label={remove.pending ? 'Deleting…' : 'Delete'}
          question="Delete this image, its thumbnails and its comments? This cannot be undone."
          confirmLabel="Delete the image"
          disabled={remove.pending}
          onConfirm={() => remove.run()}
        />
      </div>
      <ErrorNotice error={share.error} />
      <ErrorNotice error={describe.error} />
      <ErrorNotice error={remove.error} />
    </section>
  );
}

export function ImageDetailPage({ imageId }: { imageId: string }) {
  useEffect(() => {
    loadCatalogue();
  }, []);
  const [round, setRound] = useState(0);
  const polled = usePolling(
    `${imageId}#${round}`,
    (_key, signal) => images.get(imageId, signal),
    settled,
    true,
  );
  const image = polled.value;
  useTitle(image ? imageTitle(image) : 'Image');

  if (!image) {
    return (
      <section>
        <h1>Image</h1>
        {polled.error ? <ErrorNotice error={polled.error} /> : <Busy label="Loading the image…" />}
      </section>
    );
  }
  const style = image.style && (styles.value?.find((item) => item.id === image.style)?.name ?? image.style);
  const mine = profile.value?.userId === image.ownerId;
  const update = (changed: ImageDetail) => {
    polled.setValue(changed);
    if (!settled(changed)) setRound((value) => value + 1);
  };
  return (
    <article class="image-detail">
      <div class="image-detail-layout">
        <figure class="image-frame">
          {image.status === 'READY' ? (
            <a href={image.urls.original} target="_blank" rel="noopener noreferrer">
              <img
                src={image.urls.display ?? image.urls.original}
                alt={imageAlt(image)}
                width={image.width}
                height={image.height}
              />
            </a>
          ) : image.status === 'PENDING' ? (
            <Busy label="The image is being processed…" />
          ) : (
            <p class="notice notice-error">
              {image.kind === 'uploaded' ? 'This upload was refused' : 'The image could not be made'}
              {image.error ? `: ${image.error.message}` : '.'}
            </p>
          )}
        </figure>
        <div class="image-info">
          <h1>{imageTitle(image)}</h1>
          <p class="meta">
            by <AuthorLink userId={image.ownerId} name={image.ownerName} /> ·{' '}
            <time dateTime={image.createdAt}>{formatDate(image.createdAt)}</time>
          </p>
          {image.status === 'READY' && (
            <LikeButton image={image} onChange={(state) => polled.setValue({ ...image, ...state })} />
          )}
          <ImageActions image={image} />
          <ErrorNotice error={polled.error} />
          {image.status !== 'FAILED' && (
            <>
              <h2>Description</h2>
              <Description image={image} />
            </>
          )}
          <dl class="facts">
            {image.prompt && (
              <>
                <dt>Prompt</dt>
                <dd class="prompt">
                  <LongText text={image.prompt} what="prompt" />
                </dd>
              </>
            )}
            {style && (
              <>
                <dt>Style</dt>
                <dd>{style}</dd>
              </>
            )}
            <dt>Size</dt>
            <dd>
              {image.width} × {image.height}
            </dd>
            <dt>Kind</dt>
            <dd>{image.kind}</dd>
            {image.model && (
              <>
                <dt>Model</dt>
                <dd>{image.model}</dd>
              </>
            )}
            {image.parentImageId && (
              <>
                <dt>Edited from</dt>
                <dd>
                  <ParentImage parentImageId={image.parentImageId} />
                </dd>
              </>
            )}
            {image.characterId && mine && (
              <>
                <dt>Character</dt>
                <dd>
                  <a href={`/characters/${encodeURIComponent(image.characterId)}`}>open the character</a>
                </dd>
              </>
            )}
          </dl>
          {image.status === 'READY' && image.isPublic && <ShareLinks image={image} />}
          {mine && <OwnerActions image={image} onChange={update} />}
        </div>
      </div>
      {image.status !== 'FAILED' && <Comments key={image.imageId} image={image} />}
    </article>
  );
}

const foldedLength = 400;

/** A long text folded to its start, so that it does not stretch the page; opened on request. */
function LongText({ text, what }: { text: string; what: string }) {
  const [open, setOpen] = useState(false);
  if (text.length <= foldedLength + 100) return <>{text}</>;
  return (
    <>
      {open ? text : `${text.slice(0, foldedLength)}…`}{' '}
      <button type="button" class="button secondary small" onClick={() => setOpen(!open)}>
        {open
          ? `Show less of the ${what}`
          : `Show all of the ${what} (${text.length.toLocaleString()} characters)`}
      </button>
    </>
  );
}
