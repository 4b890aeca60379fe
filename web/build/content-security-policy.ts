import type { Plugin } from 'vite';

/**
 * The gallery's Content-Security-Policy, the one source of both its forms: the <meta> tag
 * of the built index.html (the local runtime serves it without headers of its own) and the
 * header CloudFront adds in AWS (infra/constructs/site-distribution.ts). Scripts, styles
 * and fonts come only from this origin. Images and uploads may also go to the image
 * bucket: presigned URLs point at its own S3 host. `blob:` is for previews of a chosen file.
 */
export function galleryContentSecurityPolicy(
  storageOrigins: readonly string[],
  options: { frameAncestors?: boolean } = {},
): string {
  const storage = storageOrigins.join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' blob: data: ${storage}`,
    `connect-src 'self' ${storage}`,
    "font-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    // Browsers ignore frame-ancestors in a <meta> tag; only the header can carry it.
    ...(options.frameAncestors ? ["frame-ancestors 'none'"] : []),
  ].join('; ');
}

/**
 * Where the built page may reach storage wherever it is served: the emulator on the
 * loopback address locally (any port, since tests pick free ones) and any S3 host in AWS,
 * where the header narrows that to the stage's own bucket (a browser enforces both).
 */
const anyStorage = ['http://127.0.0.1:*', 'http://localhost:*', 'https://*.amazonaws.com'];

export const contentSecurityPolicy = galleryContentSecurityPolicy(anyStorage);

/** Only in the build: the dev server injects styles inline. */
export function contentSecurityPolicyPlugin(): Plugin {
  return {
    name: 'easel-content-security-policy',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy },
          injectTo: 'head-prepend',
        },
      ],
    },
  };
}
