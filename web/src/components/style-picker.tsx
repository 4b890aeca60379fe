import type { Style } from '../api/types.ts';

// A swatch per known style, so the picker shows what a style looks like, not only its name.
const swatches: Record<string, string> = {
  pixel: 'repeating-conic-gradient(#3a7d44 0 25%, #f2c14e 0 50%) 0 0 / 16px 16px',
  'animated-movie':
    'radial-gradient(circle at 30% 35%, #ffd166 0 18%, transparent 19%), linear-gradient(160deg, #4cc9f0, #f72585)',
  space:
    'radial-gradient(circle at 70% 30%, #fff 0 2%, transparent 3%), radial-gradient(circle at 30% 60%, #b388ff 0 20%, transparent 45%), #0b0b2b',
  abstract: 'conic-gradient(from 45deg, #e63946, #f1fa8c, #457b9d, #e63946)',
  dark: 'radial-gradient(circle at 50% 40%, #4a4a5a 0 20%, #111 60%)',
  photorealistic: 'linear-gradient(180deg, #87b5e5 0 55%, #6b8f4e 55%)',
  anime: 'linear-gradient(135deg, #ffafcc 0 50%, #a2d2ff 50%)',
  watercolor:
    'radial-gradient(circle at 30% 40%, #a8dadcaa 0 30%, transparent 50%), radial-gradient(circle at 70% 60%, #f4a261aa 0 30%, transparent 55%), #fdfaf3',
  'oil-painting': 'linear-gradient(120deg, #7f5539, #b08968 40%, #ddb892 60%, #6d597a)',
  comic: 'radial-gradient(circle, #222 1.5px, transparent 2px) 0 0 / 8px 8px, #ffd60a',
  '3d-render': 'radial-gradient(circle at 35% 35%, #fff 0 8%, #8ecae6 30%, #219ebc 60%, #023047)',
  'line-art': 'repeating-linear-gradient(45deg, #222 0 2px, #fff 2px 10px)',
};

function swatch(id: string): string {
  const known = swatches[id];
  if (known) return known;
  let hue = 0;
  for (const char of id) hue = (hue * 31 + char.charCodeAt(0)) % 360;
  return `linear-gradient(135deg, hsl(${hue} 60% 55%), hsl(${(hue + 60) % 360} 60% 40%))`;
}

interface StylePickerProps {
  readonly styles: readonly Style[];
  readonly defaultValue: string;
  readonly error?: string;
}

/** Style cards as a radio group: arrow keys move between them, the choice is read out by name. */
export function StylePicker({ styles, defaultValue, error }: StylePickerProps) {
  return (
    <fieldset class={error ? 'style-picker field-invalid' : 'style-picker'}>
      <legend>Style</legend>
      {error && <p class="field-error">{error}</p>}
      <div class="style-cards">
        {[{ id: '', name: 'No style', description: 'Your words, exactly as written.' }, ...styles].map(
          (style) => (
            <label key={style.id} class="style-card">
              <input type="radio" name="style" value={style.id} defaultChecked={defaultValue === style.id} />
              <span
                class="style-swatch"
                aria-hidden="true"
                style={{ background: style.id ? swatch(style.id) : undefined }}
              />
              <span class="style-name">{style.name}</span>
              <span class="style-description">{style.description}</span>
            </label>
          ),
        )}
      </div>
    </fieldset>
  );
}
