import { describe, expect, it } from 'vitest';
import { runCli } from './support.ts';

describe('easel argument parsing and exit codes', () => {
  it('exits 0 with the usage on --help, for the program and for a nested command', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Usage: easel');
    const nested = await runCli(['admin', 'dlq', 'redrive', '--help']);
    expect(nested.code).toBe(0);
    expect(nested.stdout).toContain('Usage: easel admin dlq redrive');
    expect(nested.stdout).toContain('--endpoint');
  });

  it.each([
    ['no command at all', []],
    ['an unknown command', ['paint']],
    ['an unknown option', ['images', '--colour', 'red']],
    ['a missing argument', ['generate']],
    ['a count out of range', ['generate', 'a cat', '-n', '0']],
    ['a count that is not a number', ['generate', 'a cat', '-n', 'two']],
    ['an unknown job status', ['jobs', '--status', 'DONE']],
    ['an unknown image kind', ['images', '--kind', 'drawn']],
    ['an unknown queue to redrive', ['admin', 'dlq', 'redrive', 'emails']],
    ['a character without a name', ['characters', 'create', '--eye-color', 'Blue']],
    ['a character update that changes nothing', ['characters', 'update', 'c1']],
    ['clearing something that is not an attribute', ['characters', 'update', 'c1', '--clear', 'name']],
  ])('exits 2 for %s', async (_case, argv) => {
    const { code, stderr } = await runCli(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(/error/);
  });

  it('offers a flag for every character attribute of the API', async () => {
    const { stdout } = await runCli(['characters', 'create', '--help']);
    for (const flag of [
      '--name',
      '--age',
      '--eye-color',
      '--skin-tone',
      '--dominant-colors',
      '--iso',
      '--notes',
    ])
      expect(stdout).toContain(flag);
  });

  it('exits 1 with how to log in when a user command has no login', async () => {
    const { code, stderr } = await runCli(['whoami', '--endpoint', 'http://127.0.0.1:9']);
    expect(code).toBe(1);
    expect(stderr).toContain('not logged in to http://127.0.0.1:9');
    expect(stderr).toContain('easel login');
  });

  it('exits 1 in plain words when the endpoint cannot be reached', async () => {
    const { code, stderr } = await runCli(['gallery', '--endpoint', 'http://127.0.0.1:9']);
    expect(code).toBe(1);
    expect(stderr).toContain('Cannot reach http://127.0.0.1:9');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('tells an operator how to name a deployment when there is no local stack', async () => {
    const { code, stderr } = await runCli([
      'admin',
      'dlq',
      'list',
      '--local-stack',
      '/nonexistent/stack.json',
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('--stack <stage>');
  });
});
