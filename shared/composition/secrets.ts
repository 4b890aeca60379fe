import { loadCursorCodec, loadOriginSecret } from '../adapters/secrets.ts';

/** Both keys at once: a cold start waits for the slower, not for the two in turn. */
export const loadOriginSecretAndCursors = (config: {
  readonly ORIGIN_SECRET_ID: string;
  readonly CURSOR_SECRET_ID: string;
}) => Promise.all([loadOriginSecret(config), loadCursorCodec(config)]);
