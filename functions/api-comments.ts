import { accounts } from '../shared/composition/accounts.ts';
import { rateLimiter } from '../shared/composition/rate-limits.ts';
import { loadOriginSecretAndCursors } from '../shared/composition/secrets.ts';
import { comments, imageRecords, profiles } from '../shared/composition/table.ts';
import { loadConfig } from '../shared/config.ts';
import { requesterOf } from '../shared/domain/accounts/accounts.ts';
import { addComment, commentsPage, deleteComment, editComment } from '../shared/domain/comments/comments.ts';
import { systemClock } from '../shared/domain/ports.ts';
import { functionConfig } from '../shared/function-config.ts';
import { optionalAuthOptions } from '../shared/http/optional-auth-options.ts';
import { created, noContent, ok } from '../shared/http/response.ts';
import { bind, httpRouter } from '../shared/http/router.ts';
import { routes } from '../shared/http/routes/api-comments.ts';
import { newId } from '../shared/ids.ts';

const config = loadConfig(functionConfig['api-comments']);
const [originSecret, cursors] = await loadOriginSecretAndCursors(config);
const writes = rateLimiter(config);
const deps = { comments: comments(config), images: imageRecords(config), clock: systemClock, newId };

export const handler = httpRouter(
  [
    bind(routes.listComments, async ({ caller, params, query }) =>
      ok(await commentsPage({ ...deps, cursors }, caller?.userId, params.imageId, query)),
    ),
    bind(routes.addComment, async ({ caller, params, body }) => {
      await writes.take(caller.userId, 'comments');
      return created(
        await addComment(deps, await requesterOf(accounts(config), caller), params.imageId, body.text),
      );
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
  { ...optionalAuthOptions(profiles(config), config), originSecret },
);
