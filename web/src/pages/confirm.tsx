import { useState } from 'preact/hooks';
import { accounts } from '../api/endpoints.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { EmailCodeField, EmailField } from '../components/field.tsx';
import { Form } from '../components/form.tsx';
import { formText, useAction } from '../lib/use-action.ts';
import { useTitle } from '../lib/use-title.ts';
import { navigate, place } from '../router.ts';

export function ConfirmPage() {
  useTitle('Confirm your e-mail');
  const email = place.value.search.get('email') ?? '';
  const [resent, setResent] = useState(false);
  const confirm = async (form: HTMLFormElement) => {
    const address = formText(form, 'email');
    await accounts.confirm({ email: address, code: formText(form, 'code') });
    navigate(`/login?email=${encodeURIComponent(address)}&confirmed=1`);
  };
  const resend = useAction(async (address: string) => {
    setResent(false);
    await accounts.resendCode(address);
    setResent(true);
  });
  return (
    <section class="narrow">
      <h1>Confirm your e-mail</h1>
      <p>We sent a code to {email || 'your e-mail address'}. Enter it here to finish signing up.</p>
      <Form
        onSubmit={confirm}
        submit="Confirm"
        busy="Confirming…"
        focusError={false}
        actions={
          <button
            class="button secondary"
            type="button"
            disabled={resend.pending}
            onClick={(event) => {
              const form = (event.currentTarget as HTMLButtonElement).form;
              if (form) resend.run(formText(form, 'email'));
            }}
          >
            {resend.pending ? 'Sending…' : 'Send the code again'}
          </button>
        }
        after={
          <>
            <ErrorNotice error={resend.error} />
            {resent && (
              <p class="notice notice-ok" role="status">
                A new code is on its way.
              </p>
            )}
          </>
        }
      >
        {({ fields }) => (
          <>
            <EmailField defaultValue={email} error={fields.email} />
            <EmailCodeField error={fields.code} />
          </>
        )}
      </Form>
    </section>
  );
}
