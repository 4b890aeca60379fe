import { accounts } from '../api/endpoints.ts';
import { EmailCodeField, EmailField, Field } from '../components/field.tsx';
import { Form } from '../components/form.tsx';
import { formText } from '../lib/use-action.ts';
import { useTitle } from '../lib/use-title.ts';
import { navigate, place } from '../router.ts';

export function ResetPasswordPage() {
  useTitle('Set a new password');
  const setPassword = async (form: HTMLFormElement) => {
    const email = formText(form, 'email');
    await accounts.resetPassword({
      email,
      code: formText(form, 'code'),
      newPassword: String(new FormData(form).get('newPassword') ?? ''),
    });
    navigate(`/login?email=${encodeURIComponent(email)}&reset=1`);
  };
  return (
    <section class="narrow">
      <h1>Set a new password</h1>
      <p>Enter the code we e-mailed you and choose a new password.</p>
      <Form onSubmit={setPassword} submit="Set the password" busy="Saving…">
        {({ fields }) => (
          <>
            <EmailField defaultValue={place.value.search.get('email') ?? ''} error={fields.email} />
            <EmailCodeField error={fields.code} />
            <Field
              label="New password"
              name="newPassword"
              type="password"
              autoComplete="new-password"
              required
              error={fields.newPassword}
            />
          </>
        )}
      </Form>
    </section>
  );
}
