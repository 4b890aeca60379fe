import type { Command } from 'commander';
import { action, type Dependencies } from '../action.ts';
import { ask } from '../terminal.ts';

export function registerAuth(program: Command, deps: Dependencies) {
  program
    .command('login')
    .description('Log in and keep the login for this endpoint (in ~/.config/easel, readable by you only)')
    .option('--email <email>', 'your e-mail address (asked for when missing)')
    .option('--password <password>', 'your password (asked for without echo when missing; or EASEL_PASSWORD)')
    .option(
      '--code <code>',
      'with MFA on: the 6-digit code of your authenticator app (asked for when missing)',
    )
    .action(
      action<[], { email?: string; password?: string; code?: string }>(
        deps,
        async (context, _args, options) => {
          const email = options.email ?? (await ask(context.io, 'E-mail: '));
          const password =
            options.password ??
            context.env.EASEL_PASSWORD ??
            (await ask(context.io, 'Password: ', { secret: true }));
          const api = await context.api();
          const session = await api.logIn(
            email,
            password,
            async () => options.code ?? (await ask(context.io, 'Code from your authenticator app: ')),
          );
          context.note(`Logged in to ${api.endpoint} as ${session.email}.`);
        },
      ),
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

  const mfa = accountCommand(program)
    .command('mfa')
    .description('A second step at login: the code of an authenticator app (TOTP)');
  mfa
    .command('enable')
    .description('Turn MFA on: shows a new secret for your authenticator app, then asks for its code')
    .action(
      action<[]>(deps, async (context) => {
        const api = await context.api();
        const setup = await api.call('setUpMfa');
        if (context.json) context.printJson(setup);
        else {
          context.print(`secret: ${setup.secret}`);
          context.print(`otpauth URI: ${setup.otpauthUri}`);
        }
        context.note('Add the secret (or the URI) to your authenticator app, then type the code it shows.');
        const code = await ask(context.io, 'Code from your authenticator app: ');
        await api.call('verifyMfa', { body: { code: code.trim() } });
        context.note('MFA is on: logging in now asks for a code of your authenticator app.');
      }),
    );
  mfa
    .command('disable')
    .description('Turn MFA off')
    .option('--code <code>', 'a code of your authenticator app, checked first')
    .action(
      action<[], { code?: string }>(deps, async (context, _args, options) => {
        const api = await context.api();
        await api.call('disableMfa', options.code ? { body: { code: options.code.trim() } } : {});
        context.note('MFA is off: logging in asks for your password only.');
      }),
    );

  program
    .command('whoami')
    .description('Who is logged in, and the images made today against the daily quota')
    .action(
      action<[]>(deps, async (context) => {
        const api = await context.api();
        const me = await api.call('getMe');
        if (context.json) return context.printJson(me);
        context.print(`${me.email} (${me.displayName}) on ${api.endpoint}`);
        context.print(`images today: ${me.usage.imagesToday} of ${me.usage.quotaPerDay}`);
        context.print(`MFA: ${me.mfaEnabled ? 'on' : 'off'}`);
      }),
    );
}

/** `easel account`, shared by the commands that act on my account (MFA, deleting it). */
export function accountCommand(program: Command): Command {
  return (
    program.commands.find((command) => command.name() === 'account') ??
    program.command('account').description('My account: two-step login, deleting it')
  );
}
