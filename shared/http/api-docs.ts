/**
 * The rendered API reference at `/api/docs`: a small page that the catalogue function
 * answers, naming Swagger UI's files, which are deployed with the gallery (`/api-docs/`,
 * copied by web/build/api-docs-assets.ts) so that no API function carries the renderer.
 */

/** Where the gallery serves the renderer's files (CloudFront's default behaviour, the web bucket). */
export const apiDocsAssetPath = '/api-docs/';

/** The files the page loads, in order; all are same-origin. */
export const apiDocsAssets = {
  stylesheet: `${apiDocsAssetPath}swagger-ui.css`,
  scripts: [`${apiDocsAssetPath}swagger-ui-bundle.js`, `${apiDocsAssetPath}api-docs.js`],
} as const;

/**
 * The page's Content-Security-Policy: only this origin's scripts, styles and the document
 * it renders (`/api/openapi.json`); `data:` images are Swagger UI's own icons. No inline
 * script or style is needed, since the start-up code is a file of its own.
 */
export const apiDocsCspDirectives = {
  'default-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'connect-src': "'self'",
  'font-src': "'self'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
} as const;

/** The same policy as one header value (the API's answer and CloudFront's `/api/docs` behaviour). */
export const apiDocsContentSecurityPolicy = Object.entries(apiDocsCspDirectives)
  .map(([directive, value]) => `${directive} ${value}`)
  .join('; ');

export function apiDocsPage(): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Easel API reference</title>',
    `<link rel="stylesheet" href="${apiDocsAssets.stylesheet}">`,
    '<link rel="icon" href="/favicon.svg" type="image/svg+xml">',
    '</head>',
    '<body>',
    '<noscript>The API reference needs JavaScript; the document itself is at <a href="/api/openapi.json">/api/openapi.json</a>.</noscript>',
    '<div id="api-docs"></div>',
    ...apiDocsAssets.scripts.map((src) => `<script src="${src}" defer></script>`),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
