import { describe, expect, it } from 'vitest';
import { safeNext } from '../../web/src/lib/safe-next.ts';

const origin = 'http://127.0.0.1:3000';

describe('where the gallery goes after logging in', () => {
  it('keeps a path on this site, with its query and fragment', () => {
    expect(safeNext('/generate', origin)).toBe('/generate');
    expect(safeNext('/images/01JD?tab=comments#c1', origin)).toBe('/images/01JD?tab=comments#c1');
    expect(safeNext('/gallery?q=a%20lighthouse', origin)).toBe('/gallery?q=a%20lighthouse');
  });

  it('goes home without a next place', () => {
    expect(safeNext(null, origin)).toBe('/');
    expect(safeNext(undefined, origin)).toBe('/');
    expect(safeNext('', origin)).toBe('/');
  });

  it('refuses other sites, however they are written', () => {
    for (const next of [
      'https://evil.example/',
      '//evil.example/pwned',
      '/\\127.0.0.1:9/pwned',
      '\\\\evil.example',
      '/\t/127.0.0.1:9/pwned',
      '/\n/evil.example',
      '/\r\n/evil.example',
      '/\u0000/evil.example',
      '/./\\evil.example',
      'javascript:alert(1)',
      'evil.example',
      ' /generate',
    ]) {
      expect(safeNext(next, origin), JSON.stringify(next)).toBe('/');
    }
  });

  it('refuses a path that the browser would normalise into another site', () => {
    expect(safeNext('/.//evil.example/pwned', origin)).toBe('/');
    expect(safeNext('/a/..//evil.example', origin)).toBe('/');
  });

  it('reads the redirect exactly as the login page receives it from the address bar', () => {
    for (const query of [
      'next=/%5C127.0.0.1:9/pwned',
      'next=/%09/127.0.0.1:9/pwned',
      'next=%2F%2Fevil.example',
    ]) {
      expect(safeNext(new URLSearchParams(query).get('next'), origin), query).toBe('/');
    }
  });
});
