import { useState } from 'preact/hooks';
import { accounts } from '../api/endpoints.ts';
import { deleteAccount, profile, session } from '../api/session.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field } from '../components/field.tsx';
import { formatDate } from '../lib/format.ts';
import { formText, useAction } from '../lib/use-action.ts';
import { useTitle } from '../lib/use-title.ts';
import { navigate } from '../router.ts';

export function AccountPage() {
  useTitle('Your account');
  const me = profile.value!;
  const [saved, setSaved] = useState(false);
  const save = useAction(async (form: HTMLFormElement) => {
    setSaved(false);
    const changed = await accounts.updateProfile({
      displayName: formText(form, 'displayName'),
      bio: formText(form, 'bio'),
    });
    session.value = { status: 'signed-in', profile: changed };
    setSaved(true);
  });
  const leave = useAction(async () => {
    await deleteAccount();
    navigate('/', { replace: true });
  });
  return (
    <section class="narrow">
      <h1>Your account</h1>
      <p>
        {me.email} · member since <time dateTime={me.createdAt}>{formatDate(me.createdAt)}</time>
      </p>
      <p>
        Today you have made {me.usage.imagesToday} of your {me.usage.quotaPerDay} images.
      </p>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          save.run(event.currentTarget);
        }}
      >
        <ErrorNotice error={save.error} takeFocus />
        <Field
          label="Display name"
          name="displayName"
          required
          maxLength={80}
          defaultValue={me.displayName}
          error={save.fields.displayName}
        />
        <Field
          label="About you"
          name="bio"
          multiline
          rows={4}
          maxLength={500}
          defaultValue={me.bio ?? ''}
          error={save.fields.bio}
        />
        <button type="submit" class="button primary" disabled={save.pending}>
          {save.pending ? 'Saving…' : 'Save'}
        </button>
        {saved && (
          <p class="notice notice-ok" role="status">
            Saved.
          </p>
        )}
      </form>
      <p>
        To change your password,{' '}
        <a href={`/forgot-password?email=${encodeURIComponent(me.email)}`}>ask for a reset code</a>.
      </p>
      <h2>Delete your account</h2>
      <p>
        Your images, shared ones included, your comments, likes, characters and jobs are deleted for good, and
        you are logged out everywhere. You can sign up again with the same e-mail later.
      </p>
      <ErrorNotice error={leave.error} takeFocus />
      <ConfirmButton
        label={leave.pending ? 'Deleting…' : 'Delete my account'}
        question="Delete your account and everything in it? This cannot be undone."
        confirmLabel="Delete my account"
        disabled={leave.pending}
        onConfirm={() => leave.run()}
      />
    </section>
  );
}
