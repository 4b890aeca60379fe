/** One e-mail with a code, as Cognito would have sent it. */
export interface Mail {
  readonly to: string;
  readonly kind: 'signup' | 'reset';
  readonly code: string;
  readonly sentAt: string;
}

const kindNames: Record<Mail['kind'], string> = { signup: 'sign-up code', reset: 'password reset code' };

/**
 * Where the local stack's e-mails land instead of an inbox: the dev log shows each one and
 * `GET /__local/mail?to=` lists them (local only, never deployed).
 */
export function localMailbox(log: (line: string) => void = () => undefined) {
  const mails: Mail[] = [];
  return {
    deliver(to: string, kind: Mail['kind'], code: string) {
      mails.push({ to, kind, code, sentAt: new Date().toISOString() });
      log(`mail to ${to}: ${kindNames[kind]} ${code}`);
    },
    /** Newest first; only those to `to` (any letter case) when given. */
    list(to?: string | null): { items: Mail[] } {
      const address = to?.toLowerCase();
      return { items: mails.filter((mail) => !address || mail.to.toLowerCase() === address).reverse() };
    },
  };
}

export type LocalMailbox = ReturnType<typeof localMailbox>;

/** The code in the newest e-mail of that kind to `email`, read from a running local stack. */
export async function latestCode(siteUrl: string, email: string, kind: Mail['kind']): Promise<string> {
  const response = await fetch(`${siteUrl}/__local/mail?to=${encodeURIComponent(email)}`);
  if (!response.ok) throw new Error(`local mailbox answered ${response.status}`);
  const { items } = (await response.json()) as { items: Mail[] };
  const mail = items.find((item) => item.kind === kind);
  if (!mail) throw new Error(`no ${kindNames[kind]} was sent to ${email}`);
  return mail.code;
}
