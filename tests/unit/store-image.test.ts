import { describe, expect, it } from 'vitest';
import { storeImageObjects } from '../../shared/domain/images/store-image.ts';
import type { ImageProcessor } from '../../shared/domain/ports.ts';
import { fakeProcessor, memoryStorage } from './support/memory-ports.ts';

/** A promise settled from outside, to hold one step back while the others go on. */
function held<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

const image = { bytes: new Uint8Array([7, 8, 9]), width: 70, height: 70, format: 'png' as const };

describe('storeImageObjects', () => {
  it('stores the original while the two copies are encoded, and answers once all three are stored', async () => {
    const { storage, objects } = memoryStorage();
    const thumbnail = held<Uint8Array>();
    const display = held<Uint8Array>();
    const processor: ImageProcessor = {
      ...fakeProcessor,
      thumbnail: () => thumbnail.promise,
      display: () => display.promise,
    };
    let answered = false;
    const stored = storeImageObjects({ storage, processor }, 'IMG1', image).then((result) => {
      answered = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect([...objects.keys()]).toEqual(['images/IMG1/original.png']);

    display.resolve(new Uint8Array([2]));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect([...objects.keys()].sort()).toEqual(['images/IMG1/display.webp', 'images/IMG1/original.png']);
    expect(answered).toBe(false);

    thumbnail.resolve(new Uint8Array([1]));
    expect(await stored).toEqual({
      originalKey: 'images/IMG1/original.png',
      thumbnailKey: 'images/IMG1/thumbnail.webp',
      displayKey: 'images/IMG1/display.webp',
      width: 70,
      height: 70,
      contentType: 'image/png',
    });
    expect(objects.get('images/IMG1/thumbnail.webp')).toEqual({
      body: new Uint8Array([1]),
      contentType: 'image/webp',
    });
    expect(objects.get('images/IMG1/display.webp')?.contentType).toBe('image/webp');
  });

  it('throws a failed copy only once the other writes have ended, so nothing is left being written', async () => {
    const { storage, objects } = memoryStorage();
    const display = held<Uint8Array>();
    const processor: ImageProcessor = {
      ...fakeProcessor,
      thumbnail: async () => {
        throw new Error('the thumbnail could not be encoded');
      },
      display: () => display.promise,
    };
    let settled = false;
    const stored = storeImageObjects({ storage, processor }, 'IMG2', image).finally(() => {
      settled = true;
    });
    stored.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toBe(false);

    display.resolve(new Uint8Array([2]));
    await expect(stored).rejects.toThrow('the thumbnail could not be encoded');
    expect([...objects.keys()].sort()).toEqual(['images/IMG2/display.webp', 'images/IMG2/original.png']);
  });

  it('throws the original’s failure first when more than one write fails', async () => {
    const { storage } = memoryStorage();
    storage.failOnPut = 1;
    const processor: ImageProcessor = {
      ...fakeProcessor,
      display: async () => {
        throw new Error('the viewing copy could not be encoded');
      },
    };
    await expect(storeImageObjects({ storage, processor }, 'IMG3', image)).rejects.toThrow('the worker died');
  });
});
