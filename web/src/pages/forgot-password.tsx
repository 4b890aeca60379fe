import { accounts } from '../api/endpoints.ts';
import { EmailField } from '../components/field.tsx';
import { Form } from '../components/form.tsx';
import { formText } from '../lib/use-action.ts';
import { useTitle } from '../lib/use-title.ts';
import { navigate, place } from '../router.ts';

export function ForgotPasswordPage() {
  useTitle('Forgot your password');
  const sendCode = async (form: HTMLFormElement) => {
    const email = formText(form, 'email');
    await accounts.forgotPassword(email);
    navigate(`/reset-password?email=${encodeURIComponent(email)}`);
  };
  return (
    <section class="narrow">
      <h1>Forgot your password</h1>
      <p>Enter your e-mail address; if it has an account, we send it a code to set a new password.</p>
      <Form onSubmit={sendCode} submit="Send the code" busy="Sending…">
        {({ fields }) => (
          <EmailField defaultValue={place.value.search.get('email') ?? ''} error={fields.email} />
        )}
      </Form>
    </section>
  );
}
