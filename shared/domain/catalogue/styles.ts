/**
 * The visual styles a generation can ask for. A style shapes the prompt through its
 * template, where `{prompt}` stands for the person's own words (see `composePrompt`).
 * The first five are the old style picker's.
 */
export interface Style {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly template: string;
}

export const styles: readonly Style[] = [
  {
    id: 'pixel',
    name: 'Pixel art',
    description: 'Crisp retro pixel art with a limited palette, like a 16-bit game.',
    template:
      'Pixel art of {prompt}. 16-bit era sprite style, limited colour palette, crisp hard pixel edges, no anti-aliasing.',
  },
  {
    id: 'animated-movie',
    name: 'Animated movie',
    description: 'A frame from a modern 3D animated feature film.',
    template:
      '{prompt}, as a still from a modern 3D animated feature film: expressive characters, soft global illumination, vibrant colours, cinematic composition.',
  },
  {
    id: 'space',
    name: 'Space',
    description: 'Cosmic scenes with nebulae, stars and deep-space light.',
    template:
      '{prompt}, set in deep space: glowing nebulae, distant stars and galaxies, dramatic cosmic lighting, sense of vast scale.',
  },
  {
    id: 'abstract',
    name: 'Abstract',
    description: 'Non-figurative shapes, colour fields and bold composition.',
    template:
      'An abstract artwork inspired by {prompt}: bold shapes, colour fields and gestural marks, non-figurative, balanced composition.',
  },
  {
    id: 'dark',
    name: 'Dark',
    description: 'Moody, low-key and shadowy, with gothic atmosphere.',
    template:
      '{prompt}, dark and moody: low-key lighting, deep shadows, muted desaturated palette, gothic atmosphere.',
  },
  {
    id: 'photorealistic',
    name: 'Photorealistic',
    description: 'Looks like a photograph taken with a professional camera.',
    template:
      'A photorealistic photograph of {prompt}. Natural lighting, realistic textures and materials, shallow depth of field, shot on a full-frame camera with a 50mm lens.',
  },
  {
    id: 'anime',
    name: 'Anime',
    description: 'Japanese animation style with clean line work and cel shading.',
    template:
      '{prompt}, in anime style: clean line art, cel shading, expressive eyes, vivid colours, detailed background.',
  },
  {
    id: 'watercolor',
    name: 'Watercolour',
    description: 'Soft transparent washes on textured paper.',
    template:
      'A watercolour painting of {prompt}: soft transparent washes, visible paper texture, gentle bleeding edges, light and airy palette.',
  },
  {
    id: 'oil-painting',
    name: 'Oil painting',
    description: 'Rich impasto brushwork on canvas, like a classical painting.',
    template:
      'An oil painting of {prompt}: rich impasto brushstrokes, canvas texture, classical composition, warm glazed colours.',
  },
  {
    id: 'comic',
    name: 'Comic book',
    description: 'Bold ink outlines, halftone shading and flat colours.',
    template:
      '{prompt}, as a comic book panel: bold black ink outlines, halftone dot shading, flat saturated colours, dynamic framing.',
  },
  {
    id: '3d-render',
    name: '3D render',
    description: 'A clean studio render with physically based materials.',
    template:
      'A 3D render of {prompt}: physically based materials, studio lighting, soft shadows, high detail, octane-style rendering.',
  },
  {
    id: 'line-art',
    name: 'Line art',
    description: 'Clean monochrome line drawing on a plain background.',
    template:
      'Clean line art of {prompt}: monochrome ink lines of even weight, no shading or fill, plain white background.',
  },
];

const byId = new Map(styles.map((style) => [style.id, style]));

export function findStyle(id: string): Style | undefined {
  return byId.get(id);
}

export const styleIds = styles.map((style) => style.id) as [string, ...string[]];
