import { signal } from '@preact/signals';
import { parseTheme, type ThemeChoice, themeChoices, themeKey } from '../lib/theme.ts';

function stored(): ThemeChoice {
  try {
    return parseTheme(localStorage.getItem(themeKey));
  } catch {
    return 'system';
  }
}

const theme = signal<ThemeChoice>(stored());

function apply(choice: ThemeChoice) {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
}

function choose(choice: ThemeChoice) {
  theme.value = choice;
  apply(choice);
  try {
    if (choice === 'system') localStorage.removeItem(themeKey);
    else localStorage.setItem(themeKey, choice);
  } catch {
    // Storage disabled: the choice holds for this page only.
  }
}

// A choice made in another tab applies here too.
window.addEventListener('storage', (event) => {
  if (event.key !== themeKey) return;
  theme.value = parseTheme(event.newValue);
  apply(theme.value);
});

/** Light, dark, or as the system says; remembered on this device. */
export function ThemeSwitch() {
  return (
    <div class="theme-switch">
      <label for="theme-choice">Theme</label>
      <select
        id="theme-choice"
        value={theme.value}
        onChange={(event) => choose(parseTheme(event.currentTarget.value))}
      >
        {themeChoices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}
