/**
 * Light, dark, or whatever the system prefers. The choice is kept in localStorage and put on
 * <html data-theme> by /theme.js, a blocking script in the page's head (the CSP allows no
 * inline script), before anything is painted, so a dark choice never flashes light.
 * Without a choice, the stylesheet follows `prefers-color-scheme` by itself.
 */
export type ThemeChoice = 'light' | 'dark' | 'system';

/** The key /theme.js reads too. */
export const themeKey = 'easel.theme';

export const themeChoices: readonly { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function parseTheme(stored: string | null | undefined): ThemeChoice {
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}
