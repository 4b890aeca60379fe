import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sharpImageProcessor as processor } from '../../shared/adapters/sharp-image-processor.ts';
import { sniffImage } from '../../shared/domain/images/sniff.ts';
import { DomainError, InvalidImageError, UnsupportedMediaTypeError } from '../../shared/errors.ts';
import { httpErrorOf } from '../../shared/http/error-handler.ts';
import { hasGpsTag, jpegWithGps, pngBomb, solidImage } from '../support/images.ts';

async function refusal(promise: Promise<unknown>) {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('sniffing: the bytes decide what a file is', () => {
  it.each([
    ['png', () => solidImage(8, 8, 'png')],
    ['jpeg', () => solidImage(8, 8, 'jpeg')],
    ['webp', () => solidImage(8, 8, 'webp')],
  ] as const)('accepts %s by its magic numbers', async (format, make) => {
    expect(await sniffImage(await make())).toBe(format);
  });

  it('refuses text, whatever it is called, with 415 saying what it found', async () => {
    const error = await refusal(sniffImage(Buffer.from('definitely a png, trust me\n')));
    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
    expect([httpErrorOf(error)!.status, error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    expect(error.message).toMatch(/not a PNG, JPEG or WebP.*no known image format/);
  });

  it('refuses an image of a format Easel does not take (GIF), naming it', async () => {
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } })
      .gif()
      .toBuffer();
    expect((await refusal(sniffImage(gif))).message).toMatch(/image\/gif/);
  });

  it('refuses a PDF that starts like one', async () => {
    expect(httpErrorOf(await refusal(sniffImage(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'))))!.status).toBe(
      415,
    );
  });
});

describe('re-encoding: nothing of the input’s metadata is kept', () => {
  it('drops EXIF with its GPS position, after turning the image upright', async () => {
    const input = await jpegWithGps(64, 32);
    const before = await sharp(input).metadata();
    expect(hasGpsTag(before.exif)).toBe(true);
    expect(before.orientation).toBe(6);

    const output = await processor.normalize(input);
    const after = await sharp(output.bytes).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect([output.format, output.width, output.height]).toEqual(['jpeg', 32, 64]);
    expect([after.width, after.height]).toEqual([32, 64]);
  });

  it('drops an embedded ICC profile and XMP, keeping the format', async () => {
    const input = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#0a0' } })
      .withIccProfile('p3')
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>')
      .png()
      .toBuffer();
    expect((await sharp(input).metadata()).icc).toBeDefined();
    const output = await processor.normalize(input);
    const after = await sharp(output.bytes).metadata();
    expect(after.format).toBe('png');
    expect(after.icc).toBeUndefined();
    expect(after.xmp).toBeUndefined();
  });
});

describe('the pixel limit: a decompression bomb is refused from its header', () => {
  it('refuses a 30000×30000 PNG of 100 kB quickly and without decoding it', async () => {
    const bomb = await pngBomb(30_000, 30_000);
    expect(bomb.length).toBeLessThan(200_000);
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    for (const prepare of [processor.normalize, processor.editable, processor.mask, processor.inspect]) {
      const error = await refusal(prepare(bomb));
      expect(error).toBeInstanceOf(InvalidImageError);
      expect([httpErrorOf(error)!.status, error.code]).toEqual([400, 'INVALID_IMAGE']);
      expect(error.message).toMatch(/30000×30000 pixels \(900 megapixels\); at most 40 megapixels/);
    }
    expect(Date.now() - started).toBeLessThan(2000);
    // Decoding would need at least 900 MB for one byte a pixel.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });

  it('draws the line at 40 megapixels exactly', async () => {
    expect(await processor.inspect(await pngBomb(8000, 5000))).toEqual({
      width: 8000,
      height: 5000,
      format: 'png',
    });
    expect((await refusal(processor.inspect(await pngBomb(8000, 5001)))).code).toBe('INVALID_IMAGE');
  });

  it('refuses bytes that start like a PNG and then are not one', async () => {
    const broken = Buffer.concat([
      (await solidImage(8, 8)).subarray(0, 16),
      Buffer.from('garbage'.repeat(20)),
    ]);
    expect(await sniffImage(broken)).toBe('png');
    const error = await refusal(processor.normalize(broken));
    expect(error.code).toBe('INVALID_IMAGE');
  });
});

describe('edit inputs', () => {
  it('turns a source into an upright PNG with an alpha channel of the same size', async () => {
    const source = await processor.editable(await solidImage(40, 30, 'jpeg'));
    const meta = await sharp(source.bytes).metadata();
    expect([meta.format, meta.channels, meta.hasAlpha]).toEqual(['png', 4, true]);
    expect([source.width, source.height]).toEqual([40, 30]);
  });

  it('takes a mask with an alpha channel, as PNG', async () => {
    const mask = await processor.mask(await solidImage(40, 30, 'webp', { alpha: true }));
    const meta = await sharp(mask.bytes).metadata();
    expect([meta.format, meta.hasAlpha, mask.width, mask.height]).toEqual(['png', true, 40, 30]);
    const alpha = (await sharp(mask.bytes).stats()).channels[3]!;
    expect([alpha.min, alpha.max]).toEqual([0, 255]);
  });

  it('refuses a mask without an alpha channel, saying why', async () => {
    const error = await refusal(processor.mask(await solidImage(40, 30, 'png')));
    expect(error.code).toBe('INVALID_IMAGE');
    expect(error.message).toMatch(/no alpha channel: it must be transparent where the image should change/);
    expect(error.details).toEqual([{ field: 'mask', message: 'needs an alpha channel' }]);
  });
});
