import { useState } from 'preact/hooks';
import { accounts } from '../api/endpoints.ts';
import { deleteAccount, loadProfile, profile, session } from '../api/session.ts';
import type { MfaSetup } from '../api/types.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { CodeField, Field } from '../components/field.tsx';
import { Form } from '../components/form.tsx';
import { formatDate } from '../lib/format.ts';
import { formText, useAction } from '../lib/use-action.ts';
import { useTitle } from '../lib/use-title.ts';
import { navigate } from '../router.ts';

export function AccountPage() {
  useTitle('Your account');
  const me = profile.value!;
  const save = async (form: HTMLFormElement) => {
    const changed = await accounts.updateProfile({
      displayName: formText(form, 'displayName'),
      bio: formText(form, 'bio'),
    });
    session.value = { status: 'signed-in', profile: changed };
    return 'Saved.';
  };
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
      <Form onSubmit={save} submit="Save" busy="Saving…">
        {({ fields }) => (
          <>
            <Field
              label="Display name"
              name="displayName"
              required
              maxLength={80}
              defaultValue={me.displayName}
              error={fields.displayName}
            />
            <Field
              label="About you"
              name="bio"
              multiline
              rows={4}
              maxLength={500}
              defaultValue={me.bio ?? ''}
              error={fields.bio}
            />
          </>
        )}
      </Form>
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
  const verify = async (form: HTMLFormElement) => {
    await accounts.verifyMfa(formText(form, 'code'));
    await loadProfile();
    setSetup(undefined);
    setDone('Two-step login is on: logging in now asks for a code of your authenticator app.');
  };
  const turnOff = async (form: HTMLFormElement) => {
    await accounts.disableMfa(formText(form, 'code'));
    await loadProfile();
    setDone('Two-step login is off: logging in asks for your password only.');
  };
  return (
    <section aria-labelledby="two-step-heading">
      <h2 id="two-step-heading">Two-step login</h2>
      {done && (
        <p class="notice notice-ok" role="status">
          {done}
        </p>
      )}
      {enabled ? (
        <Form
          onSubmit={turnOff}
          submit="Turn off two-step login"
          busy="Turning off…"
          buttonClass="button"
          preface={<p>On: logging in asks for a code of your authenticator app after your password.</p>}
        >
          {({ fields }) => (
            <CodeField hint="To turn it off, enter the code your app shows now." error={fields.code} />
          )}
        </Form>
      ) : setup ? (
        <Form
          onSubmit={verify}
          submit="Turn on two-step login"
          busy="Checking…"
          preface={
            <>
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
            </>
          }
        >
          {({ fields }) => <CodeField error={fields.code} />}
        </Form>
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
