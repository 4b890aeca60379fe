import type { ImageStore } from '../ports.ts';
import type { ImageRecord } from './image.ts';
import { publicImageUrls } from './image-queries.ts';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** At most this many characters, ending with an ellipsis when cut (cards show about this much). */
function shortened(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= max
    ? chars.join('')
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

export interface LinkPreview {
  readonly status: 200 | 404;
  readonly html: string;
}

/** The gallery's page of an image (a client route of the web app). */
export function imagePagePath(imageId: string): string {
  return `/images/${encodeURIComponent(imageId)}`;
}

/**
 * The page a shared link (`/s/<imageId>`) answers: Open Graph and Twitter card tags for
 * the sites that unfurl links, and, for people, a refresh and a link on to the gallery's
 * page of the image (no script: the site's Content-Security-Policy allows none). Only a
 * public image has one; any other is a plain "not found" page, saying nothing of whether
 * the image exists.
 */
export async function linkPreview(
  deps: { images: Pick<ImageStore, 'get'> },
  siteUrl: string,
  imageId: string,
): Promise<LinkPreview> {
  const image = /^[0-9A-Za-z]{1,64}$/.test(imageId) ? await deps.images.get(imageId) : undefined;
  if (!image?.isPublic || image.status !== 'READY') return { status: 404, html: notFoundPage() };
  return { status: 200, html: previewPage(image, siteUrl.replace(/\/+$/, '')) };
}

function previewPage(image: ImageRecord, site: string): string {
  const title = shortened(image.title || image.prompt || 'An image on Easel', 120);
  const description = shortened(
    image.description || image.prompt || `Shared by ${image.ownerName} on Easel`,
    300,
  );
  const page = `${site}${imagePagePath(image.imageId)}`;
  const meta = (attribute: 'property' | 'name', key: string, value: string) =>
    `<meta ${attribute}="${key}" content="${escapeHtml(value)}">`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)} · Easel</title>
<meta name="description" content="${escapeHtml(description)}">
${meta('property', 'og:type', 'website')}
${meta('property', 'og:site_name', 'Easel')}
${meta('property', 'og:title', title)}
${meta('property', 'og:description', description)}
${meta('property', 'og:image', publicImageUrls(site, image).original)}
${meta('property', 'og:image:width', String(image.width))}
${meta('property', 'og:image:height', String(image.height))}
${meta('property', 'og:url', `${site}/s/${encodeURIComponent(image.imageId)}`)}
${meta('name', 'twitter:card', 'summary_large_image')}
${meta('name', 'twitter:title', title)}
${meta('name', 'twitter:description', description)}
${meta('name', 'twitter:image', publicImageUrls(site, image).original)}
<meta http-equiv="refresh" content="0; url=${escapeHtml(page)}">
<link rel="canonical" href="${escapeHtml(page)}">
</head>
<body>
<p><a href="${escapeHtml(page)}">${escapeHtml(title)}</a> — open it in the Easel gallery.</p>
</body>
</html>
`;
}

function notFoundPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Not found · Easel</title>
</head>
<body>
<p>There is no shared image at this address. It may have been taken out of the gallery.</p>
<p><a href="/">Go to the Easel gallery</a></p>
</body>
</html>
`;
}
