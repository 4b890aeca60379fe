import { type EnvField, requiredFields } from '../shared/config.ts';
import type { RouteDefinition } from '../shared/http/route.ts';
import { liveSocketRoutes } from '../shared/http/routes.ts';
import {
  type ImageBucketPrefix,
  imagePrefix,
  jobInputPrefix,
  publicImagePrefix,
  type QueueName,
  queues,
  stagedUploadPrefix,
  uploadPrefix,
} from '../shared/resources.ts';

/** The item writes a function makes, transactions' items included (IAM checks each as its own action). */
export type TableWrite = 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'BatchWriteItem' | 'ConditionCheckItem';
/** `read`: GetObject (and signing GET URLs); `put`: PutObject (and signing presigned POSTs); `delete`: DeleteObject. */
export type ImageBucketAction = 'read' | 'put' | 'delete';
/** Each object action on the prefixes it is needed on, and no other. */
export type ImageBucketAccess = Readonly<Partial<Record<ImageBucketAction, readonly ImageBucketPrefix[]>>>;
/** Native modules a function imports, installed for Lambda's linux-arm64 beside its bundle. */
export type NativeModule = 'sharp';
/** `openAi` → OPENAI_SECRET_ID, `cursor` → CURSOR_SECRET_ID (pagination cursor signing). */
export type SecretName = 'openAi' | 'cursor';

/**
 * What one Lambda function is given: its size, and every environment variable with its
 * IAM grant, exactly the variables it reads (shared/function-config.ts, checked at
 * synth). Anything not listed is not granted. Consuming a queue is not listed here:
 * the stateless stack wires each queue's `worker` and `dlqWorker` from shared/resources.ts.
 */
export interface FunctionPermissions {
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  /** TABLE_NAME + GetItem, BatchGetItem and Query (never Scan), and these writes only (`[]`: reads only). */
  readonly table?: readonly TableWrite[];
  /**
   * IMAGE_BUCKET + these object actions under these prefixes; `put` is what signing a
   * presigned POST needs. Only api-images puts under `img/`, which CloudFront serves.
   */
  readonly imageBucket?: ImageBucketAccess;
  /** `<QUEUE>_QUEUE_URL` + SendMessage, for each queue it sends to. */
  readonly sendsTo?: readonly QueueName[];
  /**
   * USER_POOL_ID and/or USER_POOL_CLIENT_ID, those the function reads, and IAM for these
   * Cognito actions only. The public auth API (SignUp, InitiateAuth, GlobalSignOut…)
   * needs none: `[]`.
   */
  readonly userPool?: readonly `cognito-idp:${string}`[];
  /** `<NAME>_SECRET_ID` + GetSecretValue, for each secret. */
  readonly secrets?: readonly SecretName[];
  /** CDN_BASE_URL, for functions that build public image URLs. */
  readonly cdnBaseUrl?: boolean;
  /**
   * DISTRIBUTION_ID + CreateInvalidation on the site's distribution alone, for functions
   * that remove public copies of images (unsharing, deleting).
   */
  readonly invalidatesCdn?: boolean;
  /**
   * LIVE_CONNECTIONS_URL + execute-api:ManageConnections on the live-updates stage's
   * connections, for functions that write job statuses and post them to the owner's sockets.
   */
  readonly postsJobChanges?: boolean;
  /** Left out of the bundle and installed for linux-arm64 beside it. */
  readonly nativeModules?: readonly NativeModule[];
}

/**
 * Every function of Easel, by its name in the route table (shared/http/routes.ts) or in
 * `queues` (shared/resources.ts). A function there without an entry here fails synth.
 * API functions stay within API Gateway's 30-second integration timeout; a worker's
 * timeout is at most a sixth of its queue's visibility timeout (both checked at synth).
 */
export const functionPermissions: Readonly<Record<string, FunctionPermissions>> = {
  // /api/health, /api/openapi.json, /api/styles, /api/config and the /api catch-all: static answers.
  'api-catalogue': { memorySize: 256, timeoutSeconds: 10 },
  // /api/auth/*: Cognito's public API; logout and password reset write the "revoked before"
  // time, and a reset signs the user out everywhere (AdminUserGlobalSignOut), by the user id
  // that AdminGetUser reads.
  'api-auth': {
    memorySize: 512,
    timeoutSeconds: 10,
    table: ['UpdateItem'],
    userPool: ['cognito-idp:AdminUserGlobalSignOut', 'cognito-idp:AdminGetUser'],
  },
  // POST /api/live/ticket: writes a single-use ticket.
  'api-live': { memorySize: 256, timeoutSeconds: 10, table: ['PutItem'] },
  // The live-updates socket: $connect spends a ticket (a conditional DeleteItem) and keeps the
  // connection with the user's list of open ones; $disconnect removes them.
  'live-socket': { memorySize: 256, timeoutSeconds: 10, table: ['PutItem', 'UpdateItem', 'DeleteItem'] },
  // /api/me: the profile and today's usage; PATCH updates the profile. DELETE ends every
  // session (the "revoked before" time, and Cognito's public GlobalSignOut) and queues the
  // account's deletion: only worker-accounts may delete a user.
  'api-me': {
    memorySize: 512,
    timeoutSeconds: 10,
    table: ['UpdateItem'],
    sendsTo: ['accounts'],
    userPool: [],
  },
  // /api/generations and /api/jobs: accepts jobs (quota, idempotency), signs page cursors.
  'api-generations': {
    postsJobChanges: true,
    memorySize: 512,
    timeoutSeconds: 10,
    // A job that could not be queued forgets its idempotency key (DeleteItem).
    table: ['PutItem', 'UpdateItem', 'DeleteItem'],
    sendsTo: ['jobs'],
    userPool: [],
    secrets: ['cursor'],
  },
  // GET signs URLs of private images; DELETE removes objects and items; describe queues a job.
  'api-characters': {
    postsJobChanges: true,
    memorySize: 512,
    timeoutSeconds: 15,
    // Removing a portrait deletes its items in batches and its search entries.
    table: ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
    // Signs URLs of portraits, and deletes a retired portrait with its public copies.
    imageBucket: { read: [imagePrefix], delete: [imagePrefix, publicImagePrefix] },
    sendsTo: ['jobs'],
    userPool: [],
    secrets: ['cursor'],
    cdnBaseUrl: true,
    // A deleted character's shared portrait leaves the CDN too.
    invalidatesCdn: true,
  },
  'api-images': {
    postsJobChanges: true,
    memorySize: 512,
    timeoutSeconds: 15,
    table: ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
    // Sharing copies an image under img/, the one prefix CloudFront serves: only this
    // function writes there. Deleting an image removes its edit inputs and public copies too.
    imageBucket: {
      read: [imagePrefix],
      put: [publicImagePrefix],
      delete: [imagePrefix, publicImagePrefix, jobInputPrefix],
    },
    sendsTo: ['jobs'],
    userPool: [],
    secrets: ['cursor'],
    cdnBaseUrl: true,
    // Unshared and deleted images leave the CDN's cache.
    invalidatesCdn: true,
  },
  // The public gallery only reads: no write to the table, no access to the bucket. It verifies
  // a token sent to it (optional auth) to personalise, with no call to Cognito.
  'api-gallery': {
    memorySize: 512,
    timeoutSeconds: 10,
    table: [],
    userPool: [],
    secrets: ['cursor'],
    cdnBaseUrl: true,
  },
  'api-comments': {
    memorySize: 512,
    timeoutSeconds: 10,
    table: ['PutItem', 'UpdateItem', 'DeleteItem'],
    userPool: [],
    secrets: ['cursor'],
  },
  // Signs presigned POSTs; POST /api/images decodes and re-encodes up to 5 MB with sharp,
  // stores it, answers signed URLs to it and queues its description.
  'api-uploads': {
    postsJobChanges: true,
    memorySize: 1536,
    timeoutSeconds: 20,
    table: ['PutItem', 'UpdateItem', 'DeleteItem'],
    // Presigned POSTs land under uploads/; a file through the API is stored as an image.
    imageBucket: { read: [imagePrefix], put: [uploadPrefix, imagePrefix] },
    sendsTo: ['jobs'],
    userPool: [],
    nativeModules: ['sharp'],
    cdnBaseUrl: true,
  },
  // Reads the source (an original or a staged upload), prepares it with sharp and stores
  // it under the job; takes quota like a generation.
  'api-edits': {
    postsJobChanges: true,
    memorySize: 1536,
    timeoutSeconds: 20,
    table: ['PutItem', 'UpdateItem', 'DeleteItem'],
    // The inputs it stores under jobs/ go again when the job is refused.
    imageBucket: { read: [imagePrefix, stagedUploadPrefix], put: [jobInputPrefix], delete: [jobInputPrefix] },
    sendsTo: ['jobs'],
    userPool: [],
    nativeModules: ['sharp'],
  },
  // Calls the model (OPENAI_TIMEOUT_MS 120 s, batch of one), reads edit inputs and images to
  // describe, and encodes the images it makes with sharp. It mostly waits on the model and
  // is billed by memory while it waits: `npm run bench` measured a peak of about 210 MB
  // making 4 images of 1536×1024 with thumbnails (from TypeScript; 144 MB as a bundle), and
  // a bundle peaked at 245 MB on 4 PNGs of pure noise (4.7 MB each, more than a model
  // sends), so 384 MB.
  'worker-jobs': {
    postsJobChanges: true,
    memorySize: 384,
    timeoutSeconds: 300,
    table: ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
    // Reads edit inputs and images to describe, stores the images it makes, and deletes a
    // portrait its character no longer uses, with any public copies.
    imageBucket: {
      read: [imagePrefix, jobInputPrefix],
      put: [imagePrefix],
      delete: [imagePrefix, publicImagePrefix],
    },
    invalidatesCdn: true,
    secrets: ['openAi'],
    nativeModules: ['sharp'],
  },
  // Sniffs, re-encodes and thumbnails uploads, removes the raw objects, then queues their
  // description jobs. `npm run bench` measured a peak of about 360 MB on a 40-megapixel JPEG
  // (324 MB as a bundle); an interlaced PNG is decoded whole (up to 160 MB more), so 768 MB.
  'worker-uploads': {
    postsJobChanges: true,
    memorySize: 768,
    timeoutSeconds: 120,
    table: ['PutItem', 'UpdateItem', 'DeleteItem'],
    // Stores described uploads as images and edit inputs under staged/; a settled raw
    // upload goes, and so do the objects of an image deleted meanwhile.
    imageBucket: {
      read: [uploadPrefix],
      put: [imagePrefix, stagedUploadPrefix],
      delete: [uploadPrefix, imagePrefix],
    },
    sendsTo: ['jobs'],
    nativeModules: ['sharp'],
  },
  // Deletes an account and all it owns: its images (objects, public copies and their CDN
  // paths, search entries, comments), its comments on others' images, its likes,
  // characters, jobs (and edit inputs) and its own items, then the Cognito user. It disables
  // the user first and deletes it last: the only function that may.
  'worker-accounts': {
    memorySize: 512,
    timeoutSeconds: 300,
    table: ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
    imageBucket: { delete: [imagePrefix, publicImagePrefix, jobInputPrefix] },
    invalidatesCdn: true,
    userPool: [
      'cognito-idp:AdminDisableUser',
      'cognito-idp:AdminUserGlobalSignOut',
      'cognito-idp:AdminDeleteUser',
    ],
  },
  // Fails the job of a message that kept failing (its quota back, a description's image
  // told), or the upload of an S3 event that did.
  'worker-dead-letters': {
    memorySize: 256,
    timeoutSeconds: 30,
    // A socket that answers 410 Gone is forgotten (DeleteItem), by every function that posts.
    table: ['PutItem', 'UpdateItem', 'DeleteItem'],
    postsJobChanges: true,
  },
};

/** API Gateway gives up on an integration after 30 seconds. */
const apiTimeoutLimitSeconds = 30;

/**
 * Every function the route table and the queues name, in a stable order, once the map
 * has been checked against them: each has an entry, no entry is left over, API functions
 * fit API Gateway's timeout, and those verifying optional tokens get the user pool ids.
 */
export function checkPermissions(
  routesByFunction: ReadonlyMap<string, readonly RouteDefinition[]>,
  permissions: Readonly<Record<string, FunctionPermissions>>,
): string[] {
  const workers = Object.values(queues).flatMap((queue) => [queue.worker, queue.dlqWorker]);
  const names = [...new Set([...routesByFunction.keys(), ...workers, liveSocketRoutes.function])];
  const usedBy = (name: string) => {
    if (name === liveSocketRoutes.function) return `serves the WebSocket routes of ${liveSocketRoutes.path}`;
    const routes = routesByFunction.get(name);
    if (routes) return `serves ${routes.map((route) => `${route.method} ${route.path}`).join(', ')}`;
    return `consumes ${Object.values(queues)
      .filter((queue) => queue.worker === name || queue.dlqWorker === name)
      .map((queue) => (queue.worker === name ? queue.id : `${queue.id}'s dead-letter queue`))
      .join(', ')}`;
  };
  for (const name of names) {
    const spec = permissions[name];
    if (!spec) {
      throw new Error(
        `Function "${name}" (${usedBy(name)}) has no entry in infra/function-permissions.ts: add one with its memorySize, timeoutSeconds and grants.`,
      );
    }
    const routes = routesByFunction.get(name) ?? [];
    if (routes.length > 0 && spec.timeoutSeconds > apiTimeoutLimitSeconds) {
      throw new Error(
        `Function "${name}" serves HTTP routes, so its timeout (${spec.timeoutSeconds} s) must not exceed API Gateway's ${apiTimeoutLimitSeconds} s.`,
      );
    }
    if (routes.some((route) => route.auth === 'optional') && !spec.userPool) {
      throw new Error(
        `Function "${name}" serves routes with optional auth and verifies tokens itself: give it \`userPool: []\` in infra/function-permissions.ts.`,
      );
    }
  }
  const unused = Object.keys(permissions).filter((name) => !names.includes(name));
  if (unused.length > 0) {
    throw new Error(
      `infra/function-permissions.ts lists ${unused.map((name) => `"${name}"`).join(', ')}, which no route and no queue uses: remove the entry or add its route.`,
    );
  }
  return names;
}

/** What an entry lacks when a function reads a variable nothing binds, for synth's message. */
const bindingOf: Partial<Record<EnvField, string>> = {
  TABLE_NAME: 'no table (`table`)',
  IMAGE_BUCKET: 'no image bucket (`imageBucket`)',
  JOBS_QUEUE_URL: "no jobs queue (`sendsTo: ['jobs']`)",
  UPLOADS_QUEUE_URL: "no uploads queue (`sendsTo: ['uploads']`)",
  ACCOUNTS_QUEUE_URL: "no accounts queue (`sendsTo: ['accounts']`)",
  USER_POOL_ID: 'no user pool (`userPool`)',
  USER_POOL_CLIENT_ID: 'no user pool (`userPool`)',
  CDN_BASE_URL: 'no CDN base URL (`cdnBaseUrl: true`)',
  DISTRIBUTION_ID: 'no distribution (`invalidatesCdn: true`)',
  OPENAI_SECRET_ID: "no OpenAI secret (`secrets: ['openAi']`)",
  CURSOR_SECRET_ID: "no cursor secret (`secrets: ['cursor']`)",
  LIVE_CONNECTIONS_URL: 'no live-updates connections (`postsJobChanges: true`)',
  ORIGIN_SECRET_ID: 'no origin secret (the stateless stack binds it to functions that serve routes only)',
};

/**
 * A function's environment against what it reads: every variable it cannot start
 * without is bound, so its cold start cannot fail for a missing one in AWS, and nothing
 * it does not read is handed out (with the grant that came with it).
 */
export function checkEnvironment(fn: {
  readonly name: string;
  readonly reads: readonly EnvField[];
  readonly boundVariables: ReadonlySet<EnvField>;
}): void {
  const declaration = `functions/${fn.name}.ts via shared/function-config.ts`;
  for (const variable of requiredFields(fn.reads)) {
    if (fn.boundVariables.has(variable)) continue;
    const missing = bindingOf[variable];
    throw new Error(
      missing
        ? `Function "${fn.name}" reads ${variable} (${declaration}), but infra/function-permissions.ts binds ${missing} to it.`
        : `Function "${fn.name}" reads ${variable} (${declaration}), which nothing in infra/ binds: give it a default in shared/config.ts or a binding.`,
    );
  }
  for (const variable of fn.boundVariables) {
    if (!fn.reads.includes(variable)) {
      throw new Error(
        `Function "${fn.name}" is given ${variable} by infra/function-permissions.ts, but does not read it (${declaration}): remove the binding, or declare the variable if the function needs it.`,
      );
    }
  }
}
