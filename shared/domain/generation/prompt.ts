import type { Style } from '../catalogue/styles.ts';

export interface PromptParts {
  readonly prompt: string;
  readonly style?: Style;
  readonly negativePrompt?: string;
}

/**
 * The text sent to the image model:
 *
 * 1. the style's template with `{prompt}` replaced by the person's prompt (the prompt
 *    alone when no style is chosen);
 * 2. then, when there is a negative prompt, one more sentence: `Avoid: <negative prompt>.`
 *
 * GPT image models take no separate negative prompt, so it is folded into the text as
 * an instruction. Whitespace is collapsed so that the same request always gives the same
 * text. The template is applied with a function so that `$` in a prompt stays literal.
 */
export function composePrompt(parts: PromptParts): string {
  const prompt = collapse(parts.prompt);
  const body = parts.style ? parts.style.template.replace('{prompt}', () => prompt) : prompt;
  const negative = parts.negativePrompt ? collapse(parts.negativePrompt).replace(/[.\s]+$/, '') : '';
  return negative ? `${body} Avoid: ${negative}.` : body;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
