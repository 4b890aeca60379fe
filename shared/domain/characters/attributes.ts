/**
 * A character's attributes in the fixed order of the portrait prompt. `notes` is the
 * writer's own and never part of the prompt, so changing only the notes makes no new
 * portrait.
 */
export const promptAttributes = [
  { key: 'name', label: 'Name' },
  { key: 'age', label: 'Age' },
  { key: 'gender', label: 'Gender' },
  { key: 'ethnicity', label: 'Ethnicity' },
  { key: 'skinTone', label: 'Skin tone' },
  { key: 'build', label: 'Build' },
  { key: 'eyeColor', label: 'Eye colour' },
  { key: 'hairColor', label: 'Hair colour' },
  { key: 'hairStyle', label: 'Hair style' },
  { key: 'expression', label: 'Facial expression' },
  { key: 'pose', label: 'Pose' },
  { key: 'clothing', label: 'Clothing' },
  { key: 'clothingStyle', label: 'Clothing style' },
  { key: 'accessories', label: 'Accessories' },
  { key: 'artStyle', label: 'Art style' },
  { key: 'texture', label: 'Texture' },
  { key: 'dominantColors', label: 'Dominant colours' },
  { key: 'contrast', label: 'Contrast' },
  { key: 'shading', label: 'Shading' },
  { key: 'lighting', label: 'Lighting' },
  { key: 'background', label: 'Background' },
  { key: 'camera', label: 'Camera' },
  { key: 'lens', label: 'Lens' },
  { key: 'iso', label: 'ISO' },
  { key: 'exposure', label: 'Exposure' },
] as const;

export type PromptAttribute = (typeof promptAttributes)[number]['key'];
export type TextAttribute = Exclude<PromptAttribute, 'name' | 'age'>;

export const textAttributes = promptAttributes
  .map((attribute) => attribute.key)
  .filter((key): key is TextAttribute => key !== 'name' && key !== 'age');

export type CharacterAttributes = { name: string; age?: number; notes?: string } & {
  [K in TextAttribute]?: string;
};
