import { chooseTheme, parseTheme, theme, themeChoices } from '../lib/theme.ts';

/** Light, dark, or as the system says; remembered on this device. */
export function ThemeSwitch() {
  return (
    <div class="theme-switch">
      <label for="theme-choice">Theme</label>
      <select
        id="theme-choice"
        value={theme.value}
        onChange={(event) => chooseTheme(parseTheme(event.currentTarget.value))}
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
