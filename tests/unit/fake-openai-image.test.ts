import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { drawImage } from '../../scripts/fake-openai/image.ts';

const dimensions = async (bytes: Buffer) => {
  const { width, height, format, hasAlpha } = await sharp(bytes).metadata();
  return { width, height, format, hasAlpha };
};

describe('the fake provider’s images', () => {
  it('answers the same bytes for the same options, drawn again or kept', async () => {
    const options = { seed: 'a kept harbour', variant: 0, width: 96, height: 64 };
    const first = await drawImage(options);
    const again = await drawImage({ ...options });
    expect(Buffer.compare(first, again)).toBe(0);
    expect(await dimensions(again)).toEqual({ width: 96, height: 64, format: 'png', hasAlpha: false });
  });

  it('keeps each size, format, background and variant apart', async () => {
    const base = { seed: 'a kept lighthouse', variant: 0, width: 64, height: 64 };
    await drawImage(base);
    expect(await dimensions(await drawImage({ ...base, width: 128 }))).toMatchObject({
      width: 128,
      height: 64,
    });
    expect(await dimensions(await drawImage({ ...base, format: 'webp' }))).toMatchObject({ format: 'webp' });
    expect(await dimensions(await drawImage({ ...base, transparent: true }))).toMatchObject({
      hasAlpha: true,
    });
    const other = await drawImage({ ...base, variant: 1 });
    expect(Buffer.compare(other, await drawImage(base))).not.toBe(0);
  });

  it('still draws every image right after many others have been asked for', async () => {
    const sizes = Array.from({ length: 40 }, (_, i) => 16 + i);
    for (const width of sizes) await drawImage({ seed: 'many', variant: 0, width, height: 16 });
    for (const width of [sizes[0]!, sizes.at(-1)!])
      expect(
        await dimensions(await drawImage({ seed: 'many', variant: 0, width, height: 16 })),
      ).toMatchObject({
        width,
        height: 16,
      });
  });
});
