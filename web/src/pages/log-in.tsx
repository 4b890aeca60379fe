import { logIn } from '../api/session.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field } from '../components/field.tsx';
import { safeNext } from '../lib/safe-next.ts';
import { formText, useAction } from '../lib/use-action.ts';
import { useTitle } from '../lib/use-title.ts';
import { navigate, place } from '../router.ts';

export function LogInPage({ notice, next }: { notice?: string; next?: string }) {
  useTitle('Log in');
  const search = place.value.search;
  const email = search.get('email') ?? '';
  const action = useAction(async (form: HTMLFormElement) => {
    await logIn(formText(form, 'email'), String(new FormData(form).get('password') ?? ''));
    navigate(safeNext(next ?? search.get('next') ?? '/generate', window.location.origin), { replace: true });
  });
  const welcome = search.has('confirmed')
    ? 'Your e-mail address is confirmed. Log in to start.'
    : search.has('reset')
      ? 'Your password is changed. Log in with the new one.'
      : notice;
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
