import { describe, expect, it } from 'vitest';
import { fileNameOf } from '../../cli/http-client.ts';
import { contentDisposition, downloadName } from '../../shared/domain/images/download.ts';

const key = 'images/01JD/original.png';

describe('the name a downloaded image is saved under', () => {
  it('is the title, else the prompt, else "image", with the original’s extension', () => {
    expect(downloadName({ title: 'Harbour', prompt: 'a harbour', originalKey: key })).toEqual({
      name: 'Harbour',
      extension: 'png',
    });
    expect(downloadName({ prompt: 'a harbour at dusk', originalKey: 'images/x/original.jpg' })).toEqual({
      name: 'a harbour at dusk',
      extension: 'jpg',
    });
    expect(downloadName({ originalKey: key }).name).toBe('image');
  });

  it('keeps no path, control or invisible characters, nothing Windows refuses, and no leading dots', () => {
    const { name } = downloadName({
      title: '../../etc/passwd\u0000\u202Eevil\r\nname: "*?<>|\\',
      originalKey: key,
    });
    expect(name).toBe('etc passwd evil name');
    expect(downloadName({ title: '...hidden', originalKey: key }).name).toBe('hidden');
    expect(downloadName({ title: ' . ', originalKey: key }).name).toBe('image');
  });

  it('is at most 80 characters, cut between characters, never inside one', () => {
    const { name } = downloadName({ title: '🌊'.repeat(100), originalKey: key });
    expect([...name]).toHaveLength(80);
    expect(name).toBe('🌊'.repeat(80));
  });
});

describe('Content-Disposition', () => {
  it('is a plain quoted file name when it is ASCII', () => {
    expect(contentDisposition({ name: 'A lighthouse', extension: 'png' })).toBe(
      'attachment; filename="A lighthouse.png"',
    );
  });

  it('adds the exact name as RFC 5987 UTF-8 beside an ASCII fallback', () => {
    expect(contentDisposition({ name: "Café l'été (1)", extension: 'webp' })).toBe(
      `attachment; filename="Cafe l'ete (1).webp"; filename*=UTF-8''Caf%C3%A9%20l%27%C3%A9t%C3%A9%20%281%29.webp`,
    );
    expect(contentDisposition({ name: '海の灯台', extension: 'png' })).toMatch(
      /^attachment; filename="____\.png"; filename\*=UTF-8''%E6%B5%B7/,
    );
  });

  it('is read back by the command line as the exact name, and never as a path', () => {
    expect(fileNameOf(contentDisposition({ name: "Café l'été", extension: 'png' }))).toBe("Café l'été.png");
    expect(fileNameOf('attachment; filename="plain.png"')).toBe('plain.png');
    expect(fileNameOf('attachment; filename="../../.bashrc"')).toBe('.bashrc');
    expect(fileNameOf('attachment; filename=".."')).toBeUndefined();
    expect(fileNameOf(null)).toBeUndefined();
  });
});
