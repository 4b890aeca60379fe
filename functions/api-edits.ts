import { loadOriginSecret } from '../shared/adapters/secrets.ts';
import { sharpImageProcessor } from '../shared/adapters/sharp-image-processor.ts';
import { accounts } from '../shared/composition/accounts.ts';
import { jobDeps } from '../shared/composition/jobs.ts';
import { storage } from '../shared/composition/storage.ts';
import { imageRecords, profiles, uploads } from '../shared/composition/table.ts';
import { loadConfig } from '../shared/config.ts';
import { requesterOf } from '../shared/domain/accounts/accounts.ts';
import { type CreateEditDeps, createEdit } from '../shared/domain/edits/create-edit.ts';
import { generationSettings } from '../shared/domain/generation/generation-settings.ts';
import { gatewayMaxBodyBytes } from '../shared/domain/limits.ts';
import { functionConfig } from '../shared/function-config.ts';
import { authOptions } from '../shared/http/auth-options.ts';
import { accepted } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes/api-edits.ts';

const config = loadConfig(functionConfig['api-edits']);
const originSecret = await loadOriginSecret(config);
const deps: CreateEditDeps = {
  ...jobDeps(config),
  images: imageRecords(config),
  uploads: uploads(config),
  storage: storage(config),
  processor: sharpImageProcessor,
  settings: generationSettings(config),
};

export const handler = httpRouter(
  [
    bind(
      routes.createEdit,
      async ({ caller, body, headers, correlationId }) =>
        accepted(
          await createEdit(deps, await requesterOf(accounts(config), caller), body, {
            idempotencyKey: headers['idempotency-key'],
            correlationId,
          }),
        ),
      { maxBodyBytes: gatewayMaxBodyBytes },
    ),
  ],
  { ...authOptions(profiles(config)), originSecret },
);
