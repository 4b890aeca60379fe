import { useState } from 'preact/hooks';
import { asApiError } from '../api/errors.ts';
import { answerMfaChallenge, logIn } from '../api/session.ts';
import type { MfaChallenge } from '../api/types.ts';
import { CodeField, EmailField, Field } from '../components/field.tsx';
import { Form } from '../components/form.tsx';
import { safeNext } from '../lib/safe-next.ts';
import { formText } from '../lib/use-action.ts';
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
  const logInWithPassword = async (form: HTMLFormElement) => {
    const address = formText(form, 'email');
    setEmail(address);
    setExpired(false);
    const result = await logIn(address, String(new FormData(form).get('password') ?? ''));
    if ('challenge' in result) setChallenge(result);
    else goOn();
  };
  const answerChallenge = async (form: HTMLFormElement) => {
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
  };
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
        <Form onSubmit={answerChallenge} submit="Log in" busy="Checking…">
          {({ fields }) => (
            <CodeField
              hint="Your account asks for a second step: the 6 digits your authenticator app shows for Easel now."
              error={fields.code}
            />
          )}
        </Form>
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
      <Form onSubmit={logInWithPassword} submit="Log in" busy="Logging in…">
        {({ fields, error }) => (
          <>
            {error?.code === 'USER_NOT_CONFIRMED' && (
              <p>
                <a href={`/confirm?email=${encodeURIComponent(email)}`}>Enter your confirmation code</a>.
              </p>
            )}
            <EmailField defaultValue={email} error={fields.email} />
            <Field
              label="Password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              error={fields.password}
            />
          </>
        )}
      </Form>
      <p>
        <a href="/forgot-password">Forgot your password?</a> · New here? <a href="/signup">Sign up</a>.
      </p>
    </section>
  );
}
