import { cognitoClient } from '../adapters/clients/cognito.ts';
import { cognitoUserDirectory } from '../adapters/cognito-user-directory.ts';
import { systemClock } from '../domain/ports.ts';
import { once } from './once.ts';
import { profiles, type TableConfig } from './table.ts';

/** Who the caller is, for use cases that act in their name: the directory, their profile, the time. */
export const accounts = /* @__PURE__ */ once(
  (config: TableConfig & { readonly USER_POOL_CLIENT_ID: string }) => ({
    directory: cognitoUserDirectory(cognitoClient(), config.USER_POOL_CLIENT_ID),
    profiles: profiles(config),
    clock: systemClock,
  }),
);
