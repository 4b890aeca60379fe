/**
 * Where to go after logging in, from `?next=`: only a path on this site, anything else goes
 * home. Browsers read `\` as `/` and drop tabs and newlines from URLs, so `/\evil.example`
 * and `/%09/evil.example` lead off the site although they start with one slash: such
 * characters are refused outright, and what is left must resolve to this origin as a path
 * that does not itself start with `//`.
 */
export function safeNext(next: string | null | undefined, origin: string): string {
  if (!next?.startsWith('/') || next.startsWith('//')) return '/';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  if (/[\\\u0000-\u001f\u007f-\u009f]/.test(next)) return '/';
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return '/';
  }
  if (url.origin !== new URL(origin).origin || url.pathname.startsWith('//')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
