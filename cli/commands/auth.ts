import type { Command } from 'commander';
import type { z } from 'zod';
import type { Profile } from '../../shared/schemas/accounts.ts';
import { action, type Dependencies } from '../action.ts';
import { ask } from '../terminal.ts';

export function registerAuth(program: Command, deps: Dependencies) {
  program
    .command('login')
    .description('Log in and keep the login for this endpoint (in ~/.config/easel, readable by you only)')
    .option('--email <email>', 'your e-mail address (asked for when missing)')
    .option('--password <password>', 'your password (asked for without echo when missing; or EASEL_PASSWORD)')
    .action(
      action<[], { email?: string; password?: string }>(deps, async (context, _args, options) => {
        const email = options.email ?? (await ask(context.io, 'E-mail: '));
        const password =
          options.password ??
          context.env.EASEL_PASSWORD ??
          (await ask(context.io, 'Password: ', { secret: true }));
        const api = await context.api();
        const session = await api.logIn(email, password);
        context.note(`Logged in to ${api.endpoint} as ${session.email}.`);
      }),
    );

  program
    .command('logout')
    .description('Sign out everywhere (every token is revoked) and forget the login here')
    .action(
      action<[]>(deps, async (context) => {
        const api = await context.api();
        const signedOut = await api.logOut();
        context.note(
          signedOut ? `Logged out of ${api.endpoint}.` : `You were not logged in to ${api.endpoint}.`,
        );
      }),
    );

  program
    .command('whoami')
    .description('Who is logged in, and the images made today against the daily quota')
    .action(
      action<[]>(deps, async (context) => {
        const api = await context.api();
        const me = await api.request<z.infer<typeof Profile>>('GET', '/api/me', { auth: 'user' });
        if (context.json) return context.printJson(me);
        context.print(`${me.email} (${me.displayName}) on ${api.endpoint}`);
        context.print(`images today: ${me.usage.imagesToday} of ${me.usage.quotaPerDay}`);
      }),
    );
}
