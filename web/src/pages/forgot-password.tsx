import { accounts } from '../api/endpoints.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field } from '../components/field.tsx';
import { formText, useAction } from '../lib/use-action.ts';
import { useTitle } from '../lib/use-title.ts';
import { navigate, place } from '../router.ts';

export function ForgotPasswordPage() {
  useTitle('Forgot your password');
  const action = useAction(async (form: HTMLFormElement) => {
    const email = formText(form, 'email');
    await accounts.forgotPassword(email);
    navigate(`/reset-password?email=${encodeURIComponent(email)}`);
  });
  return (
    <section class="narrow">
      <h1>Forgot your password</h1>
      <p>Enter your e-mail address; if it has an account, we send it a code to set a new password.</p>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          action.run(event.currentTarget);
        }}
      >
        <ErrorNotice error={action.error} takeFocus />
        <Field
          label="E-mail"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={place.value.search.get('email') ?? ''}
          error={action.fields.email}
        />
        <button class="button primary" type="submit" disabled={action.pending}>
          {action.pending ? 'Sending…' : 'Send the code'}
        </button>
      </form>
    </section>
  );
}
