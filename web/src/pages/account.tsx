import { useState } from 'preact/hooks';
import { accounts } from '../api/endpoints.ts';
import { deleteAccount, loadProfile, profile, session } from '../api/session.ts';
import type { MfaSetup } from '../api/types.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { CodeField, Field } from '../components/field.tsx';
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
      <TwoStepLogin enabled={me.mfaEnabled} />
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

/** Turning an authenticator app (TOTP) on and off as a second step of logging in. */
function TwoStepLogin({ enabled }: { enabled: boolean }) {
  const [setup, setSetup] = useState<MfaSetup>();
  const [done, setDone] = useState<string>();
  const start = useAction(async () => {
    setDone(undefined);
    setSetup(await accounts.setUpMfa());
  });
  const verify = useAction(async (form: HTMLFormElement) => {
    await accounts.verifyMfa(formText(form, 'code'));
    await loadProfile();
    setSetup(undefined);
    setDone('Two-step login is on: logging in now asks for a code of your authenticator app.');
  });
  const turnOff = useAction(async (form: HTMLFormElement) => {
    await accounts.disableMfa(formText(form, 'code'));
    await loadProfile();
    setDone('Two-step login is off: logging in asks for your password only.');
  });
  return (
    <section aria-labelledby="two-step-heading">
      <h2 id="two-step-heading">Two-step login</h2>
      {done && (
        <p class="notice notice-ok" role="status">
          {done}
        </p>
      )}
      {enabled ? (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            turnOff.run(event.currentTarget);
          }}
        >
          <p>On: logging in asks for a code of your authenticator app after your password.</p>
          <ErrorNotice error={turnOff.error} takeFocus />
          <CodeField hint="To turn it off, enter the code your app shows now." error={turnOff.fields.code} />
          <button type="submit" class="button" disabled={turnOff.pending}>
            {turnOff.pending ? 'Turning off…' : 'Turn off two-step login'}
          </button>
        </form>
      ) : setup ? (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            verify.run(event.currentTarget);
          }}
        >
          <p>
            Add Easel to your authenticator app (for example by typing this key in as a new account), then
            enter the code it shows.
          </p>
          <dl class="mfa-setup">
            <dt>Key</dt>
            <dd>
              <code>{setup.secret}</code>
            </dd>
            <dt>Link for apps that take one</dt>
            <dd>
              <code>{setup.otpauthUri}</code>
            </dd>
          </dl>
          <ErrorNotice error={verify.error} takeFocus />
          <CodeField error={verify.fields.code} />
          <button type="submit" class="button primary" disabled={verify.pending}>
            {verify.pending ? 'Checking…' : 'Turn on two-step login'}
          </button>
        </form>
      ) : (
        <>
          <p>Off. With it on, logging in asks for a code of an authenticator app as well as your password.</p>
          <ErrorNotice error={start.error} takeFocus />
          <button type="button" class="button" disabled={start.pending} onClick={() => start.run()}>
            {start.pending ? 'Starting…' : 'Set up two-step login'}
          </button>
        </>
      )}
    </section>
  );
}
