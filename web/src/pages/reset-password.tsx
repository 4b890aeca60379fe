import { accounts } from '../api/endpoints.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field } from '../components/field.tsx';
import { formText, useAction } from '../lib/use-action.ts';
import { useTitle } from '../lib/use-title.ts';
import { navigate, place } from '../router.ts';

export function ResetPasswordPage() {
  useTitle('Set a new password');
  const action = useAction(async (form: HTMLFormElement) => {
    const email = formText(form, 'email');
    await accounts.resetPassword({
      email,
      code: formText(form, 'code'),
      newPassword: String(new FormData(form).get('newPassword') ?? ''),
    });
    navigate(`/login?email=${encodeURIComponent(email)}&reset=1`);
  });
  return (
    <section class="narrow">
      <h1>Set a new password</h1>
      <p>Enter the code we e-mailed you and choose a new password.</p>
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
        <Field
          label="Code"
          name="code"
          autoComplete="one-time-code"
          inputMode="numeric"
          required
          error={action.fields.code}
        />
        <Field
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          error={action.fields.newPassword}
        />
        <button class="button primary" type="submit" disabled={action.pending}>
          {action.pending ? 'Saving…' : 'Set the password'}
        </button>
      </form>
    </section>
  );
}
