import type { Plugin } from 'vite';

/**
 * The Content-Security-Policy of the built gallery, as a <meta> tag (the local runtime and
 * the S3 origin serve index.html without headers of their own). Scripts, styles and fonts
 * come only from this origin. Images and uploads may also go to S3: presigned URLs point
 * at the bucket's own host in AWS (`*.amazonaws.com`) and at the emulator on the loopback
 * address locally (any port, since tests pick free ones); public images are `/img/*` here.
 * `blob:` is for previews of a chosen file. Only in the build: the dev server injects styles inline.
 */
const storage = 'http://127.0.0.1:* http://localhost:* https://*.amazonaws.com';

export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  `img-src 'self' blob: data: ${storage}`,
  `connect-src 'self' ${storage}`,
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

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
