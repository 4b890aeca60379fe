import type { CharacterAttribute } from '../api/types.ts';

/** The character form's sections: every attribute once, in the portrait prompt's order. */
export const characterSections: readonly { title: string; attributes: readonly CharacterAttribute[] }[] = [
  { title: 'Who', attributes: ['gender', 'ethnicity', 'skinTone', 'build'] },
  { title: 'Face and hair', attributes: ['eyeColor', 'hairColor', 'hairStyle', 'expression', 'pose'] },
  { title: 'Clothes', attributes: ['clothing', 'clothingStyle', 'accessories'] },
  {
    title: 'Art direction',
    attributes: ['artStyle', 'texture', 'dominantColors', 'contrast', 'shading', 'lighting', 'background'],
  },
  { title: 'Camera', attributes: ['camera', 'lens', 'iso', 'exposure'] },
];

export const characterAttributes = characterSections.flatMap((section) => section.attributes);

export const attributeLabels: Record<CharacterAttribute, string> = {
  gender: 'Gender',
  ethnicity: 'Ethnicity',
  skinTone: 'Skin tone',
  build: 'Build',
  eyeColor: 'Eye colour',
  hairColor: 'Hair colour',
  hairStyle: 'Hair style',
  expression: 'Facial expression',
  pose: 'Pose',
  clothing: 'Clothing',
  clothingStyle: 'Clothing style',
  accessories: 'Accessories',
  artStyle: 'Art style',
  texture: 'Texture',
  dominantColors: 'Dominant colours',
  contrast: 'Contrast',
  shading: 'Shading',
  lighting: 'Lighting',
  background: 'Background',
  camera: 'Camera',
  lens: 'Lens',
  iso: 'ISO',
  exposure: 'Exposure',
};
