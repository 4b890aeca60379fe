import { describe, expect, it } from 'vitest';
import { toggled } from '../../web/src/lib/likes.ts';
import { canRemix, downloadName, remixHref } from '../../web/src/lib/remix.ts';
import { parseTheme } from '../../web/src/lib/theme.ts';

describe('a like shown before the API answers', () => {
  it('adds one when liking and takes one away when unliking', () => {
    expect(toggled({ likeCount: 4, likedByMe: false })).toEqual({ likeCount: 5, likedByMe: true });
    expect(toggled({ likeCount: 5, likedByMe: true })).toEqual({ likeCount: 4, likedByMe: false });
  });

  it('never shows a negative count', () => {
    expect(toggled({ likeCount: 0, likedByMe: true })).toEqual({ likeCount: 0, likedByMe: false });
  });
});

describe('"Use these settings"', () => {
  it('fills Generate with the prompt, style, size, quality and what to leave out', () => {
    const href = remixHref({
      kind: 'generated',
      prompt: 'a fox & a hound, at dawn',
      style: 'watercolor',
      size: '1024x1536',
      quality: 'high',
      negativePrompt: 'text, watermark',
    });
    const url = new URL(href, 'http://easel.test');
    expect(url.pathname).toBe('/generate');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      prompt: 'a fox & a hound, at dawn',
      style: 'watercolor',
      size: '1024x1536',
      quality: 'high',
      negativePrompt: 'text, watermark',
    });
  });

  it('leaves out what the image does not say', () => {
    expect(remixHref({ kind: 'generated', prompt: 'a fox' })).toBe('/generate?prompt=a+fox');
  });

  it('is offered only for images made from a prompt a person wrote', () => {
    expect(canRemix({ kind: 'generated', prompt: 'a fox' })).toBe(true);
    expect(canRemix({ kind: 'edited', prompt: 'add a hat' })).toBe(true);
    expect(canRemix({ kind: 'uploaded' })).toBe(false);
    expect(canRemix({ kind: 'portrait', prompt: 'One portrait of a single character…' })).toBe(false);
  });
});

describe('a download’s file name', () => {
  it('comes from the title, else the prompt, with the type’s extension', () => {
    const image = { imageId: '01J', contentType: 'image/png' };
    expect(downloadName({ ...image, title: 'Harbour at dusk' })).toBe('Harbour at dusk.png');
    expect(downloadName({ ...image, prompt: 'boats/in "a" harbour?', contentType: 'image/jpeg' })).toBe(
      'boats in a harbour.jpg',
    );
    expect(downloadName({ ...image, title: '///' })).toBe('01J.png');
  });
});

describe('the theme kept on the device', () => {
  it('is light or dark when chosen, and the system’s otherwise', () => {
    expect(parseTheme('dark')).toBe('dark');
    expect(parseTheme('light')).toBe('light');
    for (const stored of [null, undefined, '', 'sepia']) expect(parseTheme(stored)).toBe('system');
  });
});
