import { signal } from '@preact/signals';
import { catalogue } from '../api/endpoints.ts';
import { type ApiError, asApiError } from '../api/errors.ts';
import type { PublicConfig, Style } from '../api/types.ts';

/** The API's settings and styles, fetched once and shared by every page that needs them. */
export const config = signal<PublicConfig | undefined>(undefined);
export const styles = signal<Style[] | undefined>(undefined);
export const catalogueError = signal<ApiError | undefined>(undefined);

let loading: Promise<void> | undefined;

export function loadCatalogue(): Promise<void> {
  if (config.value && styles.value) return Promise.resolve();
  loading ??= Promise.all([catalogue.config(), catalogue.styles()])
    .then(([settings, list]) => {
      config.value = settings;
      styles.value = list.items;
      catalogueError.value = undefined;
    })
    .catch((error) => {
      catalogueError.value = asApiError(error);
    })
    .finally(() => {
      loading = undefined;
    });
  return loading;
}
