import { cognitoClient } from '../shared/adapters/clients/cognito.ts';
import { dynamoDocumentClient } from '../shared/adapters/clients/dynamodb.ts';
import { cognitoUserDirectory } from '../shared/adapters/cognito-user-directory.ts';
import { commentRepository } from '../shared/adapters/comment-repository.ts';
import { dynamoRateLimiter } from '../shared/adapters/dynamo-rate-limiter.ts';
import { imageRepository } from '../shared/adapters/image-repository.ts';
import { profileRepository } from '../shared/adapters/profile-repository.ts';
import { loadCursorCodec, loadOriginSecret } from '../shared/adapters/secrets.ts';
import { loadConfig } from '../shared/config.ts';
import { requesterOf } from '../shared/domain/accounts/accounts.ts';
import { addComment, deleteComment, editComment, listComments } from '../shared/domain/comments/comments.ts';
import { systemClock } from '../shared/domain/ports.ts';
import { functionConfig } from '../shared/function-config.ts';
import { optionalAuthOptions } from '../shared/http/optional-auth-options.ts';
import { created, noContent, ok } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes/api-comments.ts';
import { newId } from '../shared/ids.ts';

const config = loadConfig(functionConfig['api-comments']);
// Both keys at once: a cold start waits for the slower, not for the two in turn.
const [originSecret, cursors] = await Promise.all([loadOriginSecret(config), loadCursorCodec(config)]);
const db = dynamoDocumentClient();
const profiles = profileRepository(db, config.TABLE_NAME);
const accounts = {
  directory: cognitoUserDirectory(cognitoClient(), config.USER_POOL_CLIENT_ID),
  profiles,
  clock: systemClock,
};
const deps = {
  comments: commentRepository(db, config.TABLE_NAME),
  images: imageRepository(db, config.TABLE_NAME),
  clock: systemClock,
  newId,
};
const writes = dynamoRateLimiter(db, config.TABLE_NAME, systemClock);

export const handler = httpRouter(
  [
    bind(routes.listComments, async ({ caller, params, query }) => {
      const binding = `comments:${params.imageId}`;
      const page = await listComments(deps, caller?.userId, params.imageId, {
        limit: query.limit,
        startKey: cursors.decode(query.cursor, binding),
      });
      return ok({ items: page.items, nextCursor: cursors.encode(page.lastKey, binding) });
    }),
    bind(routes.addComment, async ({ caller, params, body }) => {
      await writes.take(caller.userId, 'comments');
      return created(await addComment(deps, await requesterOf(accounts, caller), params.imageId, body.text));
    }),
    bind(routes.editComment, async ({ caller, params, body }) => {
      await writes.take(caller.userId, 'comments');
      return ok(await editComment(deps, caller.userId, params.imageId, params.commentId, body.text));
    }),
    bind(routes.deleteComment, async ({ caller, params }) => {
      await deleteComment(deps, caller.userId, params.imageId, params.commentId);
      return noContent();
    }),
  ],
  { ...optionalAuthOptions(profiles, config), originSecret },
);
