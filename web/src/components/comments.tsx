import { useState } from 'preact/hooks';
import { comments } from '../api/endpoints.ts';
import { profile } from '../api/session.ts';
import type { Comment, ImageDetail } from '../api/types.ts';
import { config } from '../lib/catalogue.ts';
import { formatDate } from '../lib/format.ts';
import { formText, useAction } from '../lib/use-action.ts';
import { usePaged } from '../lib/use-paged.ts';
import { here } from '../router.ts';
import { AuthorLink } from './author-link.tsx';
import { ConfirmButton } from './confirm-button.tsx';
import { ErrorNotice } from './error-notice.tsx';
import { Field } from './field.tsx';
import { Form } from './form.tsx';
import { LoadMore } from './load-more.tsx';

const defaultMaxLength = 2000;

interface CommentItemProps {
  readonly comment: Comment;
  readonly imageOwnerId: string;
  readonly onChanged: (comment: Comment) => void;
  readonly onDeleted: (commentId: string) => void;
}

function CommentItem({ comment, imageOwnerId, onChanged, onDeleted }: CommentItemProps) {
  const me = profile.value;
  const [editing, setEditing] = useState(false);
  const edit = async (form: HTMLFormElement) => {
    onChanged(await comments.edit(comment.imageId, comment.commentId, formText(form, 'text')));
    setEditing(false);
  };
  const remove = useAction(async () => {
    await comments.remove(comment.imageId, comment.commentId);
    onDeleted(comment.commentId);
  });
  const mine = me?.userId === comment.authorId;
  const mayDelete = mine || me?.userId === imageOwnerId;
  return (
    <li class="comment">
      <p class="meta">
        <strong>
          <AuthorLink userId={comment.authorId} name={comment.authorName} />
        </strong>{' '}
        · <time dateTime={comment.createdAt}>{formatDate(comment.createdAt)}</time>
        {comment.updatedAt !== comment.createdAt && ' · edited'}
      </p>
      {editing ? (
        <Form
          onSubmit={edit}
          submit="Save"
          busy="Saving…"
          focusError={false}
          actions={
            <button type="button" class="button secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          }
        >
          {({ fields }) => (
            <CommentField label="Your comment" defaultValue={comment.text} error={fields.text} />
          )}
        </Form>
      ) : (
        <p class="comment-text">{comment.text}</p>
      )}
      {!editing && (mine || mayDelete) && (
        <div class="actions">
          {mine && (
            <button type="button" class="button secondary small" onClick={() => setEditing(true)}>
              Edit
            </button>
          )}
          {mayDelete && (
            <ConfirmButton
              label={remove.pending ? 'Deleting…' : 'Delete'}
              question="Delete this comment? This cannot be undone."
              confirmLabel="Delete the comment"
              small
              disabled={remove.pending}
              onConfirm={() => remove.run()}
            />
          )}
        </div>
      )}
      <ErrorNotice error={remove.error} />
    </li>
  );
}

/** A comment's text, as the forms that add and edit one ask for it. */
function CommentField(props: {
  readonly label: string;
  readonly defaultValue?: string;
  readonly error?: string;
}) {
  return (
    <Field
      label={props.label}
      name="text"
      multiline
      rows={3}
      required
      maxLength={config.value?.maxCommentLength ?? defaultMaxLength}
      {...(props.defaultValue === undefined ? {} : { defaultValue: props.defaultValue })}
      {...(props.error ? { error: props.error } : {})}
    />
  );
}

/** An image's comments, newest first: the first page comes with the image, the rest as you scroll. */
export function Comments({ image }: { image: ImageDetail }) {
  const me = profile.value;
  const [count, setCount] = useState(image.commentCount);
  const list = usePaged(image.imageId, (cursor) => comments.list(image.imageId, cursor), image.comments);
  const add = async (form: HTMLFormElement) => {
    const comment = await comments.add(image.imageId, formText(form, 'text'));
    list.update((items) => [comment, ...items]);
    setCount((value) => value + 1);
    form.reset();
  };
  return (
    <section class="comments" aria-labelledby="comments-heading">
      <h2 id="comments-heading">Comments ({count})</h2>
      {me ? (
        <Form onSubmit={add} submit="Post the comment" busy="Posting…" focusError={false}>
          {({ fields }) => <CommentField label="Add a comment" error={fields.text} />}
        </Form>
      ) : (
        <p>
          <a href={`/login?next=${encodeURIComponent(here())}`}>Log in</a> to comment.
        </p>
      )}
      {list.items.length === 0 && !list.loading && !list.error && <p class="empty">No comments yet.</p>}
      <ol class="comment-list">
        {list.items.map((comment) => (
          <CommentItem
            key={comment.commentId}
            comment={comment}
            imageOwnerId={image.ownerId}
            onChanged={(changed) =>
              list.update((items) =>
                items.map((item) => (item.commentId === changed.commentId ? changed : item)),
              )
            }
            onDeleted={(commentId) => {
              list.update((items) => items.filter((item) => item.commentId !== commentId));
              setCount((value) => Math.max(0, value - 1));
            }}
          />
        ))}
      </ol>
      <LoadMore list={list} label="comments" />
    </section>
  );
}
