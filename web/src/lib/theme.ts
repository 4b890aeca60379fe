import { signal } from '@preact/signals';

/**
 * Light, dark, or whatever the system prefers. The choice is kept in localStorage and put on
 * <html data-theme> by /theme.js, a blocking script in the page's head (the CSP allows no
 * inline script), before anything is painted, so a dark choice never flashes light.
 * Without a choice, the stylesheet follows `prefers-color-scheme` by itself.
 */
export type ThemeChoice = 'light' | 'dark' | 'system';

export const themeKey = 'easel.theme';

export const themeChoices: readonly { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function parseTheme(stored: string | null | undefined): ThemeChoice {
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

function stored(): ThemeChoice {
  try {
    return parseTheme(localStorage.getItem(themeKey));
  } catch {
    return 'system';
  }
}

export const theme = signal<ThemeChoice>(typeof window === 'undefined' ? 'system' : stored());

function apply(choice: ThemeChoice) {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
}

export function chooseTheme(choice: ThemeChoice) {
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
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key !== themeKey) return;
    theme.value = parseTheme(event.newValue);
    apply(theme.value);
  });
}
