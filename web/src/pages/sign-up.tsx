import { accounts } from '../api/endpoints.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field } from '../components/field.tsx';
import { formText, useAction } from '../lib/use-action.ts';
import { useTitle } from '../lib/use-title.ts';
import { navigate } from '../router.ts';

export function SignUpPage() {
  useTitle('Sign up');
  const action = useAction(async (form: HTMLFormElement) => {
    const email = formText(form, 'email');
    const displayName = formText(form, 'displayName');
    await accounts.signUp({
      email,
      password: String(new FormData(form).get('password') ?? ''),
      displayName: displayName || undefined,
    });
    navigate(`/confirm?email=${encodeURIComponent(email)}`);
  });
  return (
    <section class="narrow">
      <h1>Sign up</h1>
      <p>Make an account to generate, edit and share images. We e-mail you a code to confirm your address.</p>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          action.run(event.currentTarget);
        }}
      >
        <ErrorNotice error={action.error} takeFocus />
        {action.error?.code === 'USERNAME_EXISTS' && (
          <p>
            <a href="/login">Log in</a> or <a href="/forgot-password">reset your password</a>.
          </p>
        )}
        <Field
          label="E-mail"
          name="email"
          type="email"
          autoComplete="email"
          required
          error={action.fields.email}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 8 characters, with upper- and lower-case letters and a digit."
          error={action.fields.password}
        />
        <Field
          label="Display name"
          name="displayName"
          autoComplete="nickname"
          maxLength={80}
          hint="Shown next to the images you share. Optional."
          error={action.fields.displayName}
        />
        <button class="button primary" type="submit" disabled={action.pending}>
          {action.pending ? 'Signing up…' : 'Sign up'}
        </button>
      </form>
      <p>
        Have an account? <a href="/login">Log in</a>.
      </p>
    </section>
  );
}
