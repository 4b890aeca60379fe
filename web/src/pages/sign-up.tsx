import { accounts } from '../api/endpoints.ts';
import { EmailField, Field } from '../components/field.tsx';
import { Form } from '../components/form.tsx';
import { formText } from '../lib/use-action.ts';
import { useTitle } from '../lib/use-title.ts';
import { navigate } from '../router.ts';

export function SignUpPage() {
  useTitle('Sign up');
  const signUp = async (form: HTMLFormElement) => {
    const email = formText(form, 'email');
    const displayName = formText(form, 'displayName');
    await accounts.signUp({
      email,
      password: String(new FormData(form).get('password') ?? ''),
      displayName: displayName || undefined,
    });
    navigate(`/confirm?email=${encodeURIComponent(email)}`);
  };
  return (
    <section class="narrow">
      <h1>Sign up</h1>
      <p>Make an account to generate, edit and share images. We e-mail you a code to confirm your address.</p>
      <Form onSubmit={signUp} submit="Sign up" busy="Signing up…">
        {({ fields, error }) => (
          <>
            {error?.code === 'USERNAME_EXISTS' && (
              <p>
                <a href="/login">Log in</a> or <a href="/forgot-password">reset your password</a>.
              </p>
            )}
            <EmailField error={fields.email} />
            <Field
              label="Password"
              name="password"
              type="password"
              autoComplete="new-password"
              required
              hint="At least 8 characters, with upper- and lower-case letters and a digit."
              error={fields.password}
            />
            <Field
              label="Display name"
              name="displayName"
              autoComplete="nickname"
              maxLength={80}
              hint="Shown next to the images you share. Optional."
              error={fields.displayName}
            />
          </>
        )}
      </Form>
      <p>
        Have an account? <a href="/login">Log in</a>.
      </p>
    </section>
  );
}
