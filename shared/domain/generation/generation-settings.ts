import type { loadConfig } from '../../config.ts';
import type { GenerationSettings } from './create-generation.ts';

type Config = ReturnType<
  typeof loadConfig<
    'IMAGE_MODEL' | 'IMAGE_SIZES' | 'IMAGE_QUALITIES' | 'MAX_IMAGES_PER_REQUEST' | 'QUOTA_PER_DAY'
  >
>;

export const generationConfigKeys = [
  'IMAGE_MODEL',
  'IMAGE_SIZES',
  'IMAGE_QUALITIES',
  'MAX_IMAGES_PER_REQUEST',
  'QUOTA_PER_DAY',
] as const;

export function generationSettings(config: Config): GenerationSettings {
  return {
    model: config.IMAGE_MODEL,
    sizes: config.IMAGE_SIZES,
    qualities: config.IMAGE_QUALITIES,
    defaultSize: config.IMAGE_SIZES[0]!,
    defaultQuality: config.IMAGE_QUALITIES[0]!,
    maxImagesPerRequest: config.MAX_IMAGES_PER_REQUEST,
    quotaPerDay: config.QUOTA_PER_DAY,
  };
}
