import { describe, expect, it } from 'vitest';
import { findStyle, styles } from '../../shared/domain/catalogue/styles.ts';
import { composePrompt } from '../../shared/domain/generation/prompt.ts';

describe('styles', () => {
  it('offers at least ten styles, with the five of the old style picker', () => {
    expect(styles.length).toBeGreaterThanOrEqual(10);
    for (const id of ['pixel', 'animated-movie', 'space', 'abstract', 'dark'])
      expect(findStyle(id)).toBeDefined();
  });

  it('gives every style a template with exactly one place for the prompt', () => {
    for (const style of styles) expect(style.template.split('{prompt}')).toHaveLength(2);
  });
});

describe('composePrompt', () => {
  it('puts the prompt into the style template', () => {
    expect(composePrompt({ prompt: 'a lighthouse', style: findStyle('watercolor') })).toBe(
      'A watercolour painting of a lighthouse: soft transparent washes, visible paper texture, gentle bleeding edges, light and airy palette.',
    );
  });

  it('sends the prompt alone when no style is chosen', () => {
    expect(composePrompt({ prompt: 'a lighthouse' })).toBe('a lighthouse');
  });

  it('folds the negative prompt in as an instruction to avoid it', () => {
    expect(composePrompt({ prompt: 'a street at night', negativePrompt: 'people, cars.' })).toBe(
      'a street at night Avoid: people, cars.',
    );
  });

  it('collapses whitespace so the same request always gives the same text', () => {
    const a = composePrompt({ prompt: '  a   cat\n\non a  mat ', style: findStyle('anime') });
    const b = composePrompt({ prompt: 'a cat on a mat', style: findStyle('anime') });
    expect(a).toBe(b);
  });

  it('keeps replacement patterns in a prompt literal', () => {
    expect(composePrompt({ prompt: 'price tag $& $1', style: findStyle('comic') })).toContain(
      'price tag $& $1',
    );
  });
});
