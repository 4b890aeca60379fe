import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configDirectory, endpointKey, TokenStore } from '../../../cli/token-store.ts';

const session = (name: string) => ({
  email: `${name}@example.com`,
  accessToken: `access-${name}`,
  refreshToken: `refresh-${name}`,
  expiresAt: 1_000,
});

async function newStore() {
  return new TokenStore(path.join(await mkdtemp(path.join(tmpdir(), 'easel-tokens-')), 'easel'));
}

describe('TokenStore', () => {
  it('writes the logins readable by the user only (file 0600, directory 0700)', async () => {
    const store = await newStore();
    await store.set('http://127.0.0.1:3000', session('ada'));
    expect((await stat(store.file)).mode & 0o777).toBe(0o600);
    expect((await stat(store.directory)).mode & 0o777).toBe(0o700);
  });

  it('keeps one login per endpoint', async () => {
    const store = await newStore();
    await store.set('http://127.0.0.1:3000', session('ada'));
    await store.set('https://easel.example.com', session('bob'));
    expect((await store.get('http://127.0.0.1:3000'))?.email).toBe('ada@example.com');
    expect((await store.get('https://easel.example.com/'))?.email).toBe('bob@example.com');
    expect(await store.get('http://127.0.0.1:4000')).toBeUndefined();
  });

  it('forgets one endpoint’s login and keeps the others', async () => {
    const store = await newStore();
    await store.set('http://127.0.0.1:3000', session('ada'));
    await store.set('https://easel.example.com', session('bob'));
    expect(await store.delete('http://127.0.0.1:3000/')).toBe(true);
    expect(await store.delete('http://127.0.0.1:3000')).toBe(false);
    expect(await store.get('http://127.0.0.1:3000')).toBeUndefined();
    const file = JSON.parse(await readFile(store.file, 'utf8'));
    expect(Object.keys(file)).toEqual(['https://easel.example.com']);
  });

  it('treats spellings of one endpoint as one', () => {
    expect(endpointKey('HTTP://Easel.Example.com/')).toBe(endpointKey('http://easel.example.com'));
  });

  it('lives under XDG_CONFIG_HOME when set, else ~/.config', () => {
    expect(configDirectory({ XDG_CONFIG_HOME: '/tmp/xdg' })).toBe('/tmp/xdg/easel');
    expect(configDirectory({})).toMatch(/\.config\/easel$/);
  });
});
