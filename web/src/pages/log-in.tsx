import { useState } from 'preact/hooks';
import { asApiError } from '../api/errors.ts';
import { answerMfaChallenge, logIn } from '../api/session.ts';
import type { MfaChallenge } from '../api/types.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { CodeField, Field } from '../components/field.tsx';
import { safeNext } from '../lib/safe-next.ts';
import { formText, useAction } from '../lib/use-action.ts';
import { useTitle } from '../lib/use-title.ts';
import { navigate, place } from '../router.ts';

export function LogInPage({ notice, next }: { notice?: string; next?: string }) {
  useTitle('Log in');
  const search = place.value.search;
  const [email, setEmail] = useState(search.get('email') ?? '');
  // Set when the password was right and the account asks for its authenticator's code too.
  const [challenge, setChallenge] = useState<MfaChallenge>();
  const [expired, setExpired] = useState(false);
  const goOn = () =>
    navigate(safeNext(next ?? search.get('next') ?? '/generate', window.location.origin), { replace: true });
  const action = useAction(async (form: HTMLFormElement) => {
    const address = formText(form, 'email');
    setEmail(address);
    setExpired(false);
    const result = await logIn(address, String(new FormData(form).get('password') ?? ''));
    if ('challenge' in result) setChallenge(result);
    else goOn();
  });
  const answer = useAction(async (form: HTMLFormElement) => {
    try {
      await answerMfaChallenge(email, challenge!, formText(form, 'code'));
      goOn();
    } catch (error) {
      // Too long on this step: back to the password, saying why.
      if (asApiError(error).code === 'SESSION_EXPIRED') {
        setChallenge(undefined);
        setExpired(true);
        return;
      }
      throw error;
    }
  });
  const welcome = expired
    ? 'That took too long; log in again with your password.'
    : search.has('confirmed')
      ? 'Your e-mail address is confirmed. Log in to start.'
      : search.has('reset')
        ? 'Your password is changed. Log in with the new one.'
        : notice;

  if (challenge) {
    return (
      <section class="narrow">
        <h1>Log in</h1>
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            answer.run(event.currentTarget);
          }}
        >
          <ErrorNotice error={answer.error} takeFocus />
          <CodeField
            hint="Your account asks for a second step: the 6 digits your authenticator app shows for Easel now."
            error={answer.fields.code}
          />
          <button class="button primary" type="submit" disabled={answer.pending}>
            {answer.pending ? 'Checking…' : 'Log in'}
          </button>
        </form>
        <p>
          <button class="button" type="button" onClick={() => setChallenge(undefined)}>
            Back to e-mail and password
          </button>
        </p>
      </section>
    );
  }

  return (
    <section class="narrow">
      <h1>Log in</h1>
      {welcome && (
        <p class="notice notice-ok" role="status">
          {welcome}
        </p>
      )}
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          action.run(event.currentTarget);
        }}
      >
        <ErrorNotice error={action.error} takeFocus />
        {action.error?.code === 'USER_NOT_CONFIRMED' && (
          <p>
            <a href={`/confirm?email=${encodeURIComponent(email)}`}>Enter your confirmation code</a>.
          </p>
        )}
        <Field
          label="E-mail"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={email}
          error={action.fields.email}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={action.fields.password}
        />
        <button class="button primary" type="submit" disabled={action.pending}>
          {action.pending ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p>
        <a href="/forgot-password">Forgot your password?</a> · New here? <a href="/signup">Sign up</a>.
      </p>
    </section>
  );
}
