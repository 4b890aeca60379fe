/**
 * The one description of Easel's stateful resources and queues. The CDK app builds
 * them from it, and the local provisioning step creates the same things in the
 * emulator from it, so the two never drift apart.
 *
 * Physical names: in AWS, CloudFormation names buckets, queues and the table; the
 * functions learn them from environment variables. Locally, `localName()` gives
 * fixed names so every process of the local stack finds the same resources.
 */

export interface IndexDescription {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /** The sort key's type: a string unless said otherwise. */
  readonly sortKeyType?: 'string' | 'number';
}

export interface TableDescription {
  readonly id: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly ttlAttribute: string;
  readonly indexes: readonly IndexDescription[];
}

export const table: TableDescription = {
  id: 'Table',
  partitionKey: 'pk',
  sortKey: 'sk',
  // Idempotency records, abandoned upload placeholders and quota counters expire on their own.
  ttlAttribute: 'expiresAt',
  indexes: [
    // The caller's own listings: images, jobs, characters, newest first.
    { name: 'byOwner', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    // The same listings narrowed by one facet: images by kind, jobs by status.
    { name: 'byOwnerFacet', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    // Public, READY images, newest first (sparse: only shared images carry the keys).
    { name: 'gallery', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    // Shared images most liked first, per period bucket and per style (sparse: only the
    // images' popularity entries carry the keys); the score is a number moved by ADD.
    { name: 'popular', partitionKey: 'gsi4pk', sortKey: 'gsi4sk', sortKeyType: 'number' },
  ],
};

export interface QueueDescription {
  readonly id: string;
  /**
   * Seconds a received message stays hidden: at least six times the worker's timeout, as
   * AWS advises for a Lambda event source (checked at synth). A record that fails is hidden
   * for the worker's own backoff instead; this applies when the worker dies or times out.
   */
  readonly visibilityTimeoutSeconds: number;
  /** The same for the dead-letter queue and the dead-letter worker. */
  readonly deadLetterVisibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue: at least 5 (checked at synth). */
  readonly maxReceiveCount: number;
  readonly retentionDays: number;
  /** The worker function that consumes the queue. */
  readonly worker: string;
  /** The worker function that consumes the dead-letter queue. */
  readonly dlqWorker: string;
  readonly batchSize: number;
  /** How many worker instances may run at once: keeps the provider's rate limit. */
  readonly maxConcurrency: number;
}

export const queues = {
  jobs: {
    id: 'JobsQueue',
    visibilityTimeoutSeconds: 1800,
    deadLetterVisibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    retentionDays: 4,
    worker: 'worker-jobs',
    dlqWorker: 'worker-dead-letters',
    batchSize: 1,
    maxConcurrency: 10,
  },
  uploads: {
    id: 'UploadsQueue',
    visibilityTimeoutSeconds: 720,
    deadLetterVisibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
    retentionDays: 4,
    worker: 'worker-uploads',
    dlqWorker: 'worker-dead-letters',
    batchSize: 5,
    maxConcurrency: 5,
  },
  /** Accounts being deleted: each message names one, and its worker deletes all it owns. */
  accounts: {
    id: 'AccountsQueue',
    visibilityTimeoutSeconds: 1800,
    deadLetterVisibilityTimeoutSeconds: 180,
    // A deletion waits for the account's running jobs (up to worker-jobs' 300 s) by being
    // retried with backoff: eight tries span more than that.
    maxReceiveCount: 8,
    retentionDays: 4,
    worker: 'worker-accounts',
    dlqWorker: 'worker-dead-letters',
    batchSize: 1,
    maxConcurrency: 2,
  },
} as const satisfies Record<string, QueueDescription>;

export type QueueName = keyof typeof queues;

/** The tag that names a Lambda function by its entry in functions/ (`api-gallery`), in the template too. */
export const functionTag = 'easel:function';

export interface BucketDescription {
  readonly id: string;
}

export const buckets = {
  /** Originals and thumbnails of every image, plus the `uploads/` landing prefix. */
  images: { id: 'ImageBucket' },
  /** The built web gallery. */
  web: { id: 'WebBucket' },
} as const satisfies Record<string, BucketDescription>;

/** Every image's original and thumbnail, private: served by presigned GETs only. */
export const imagePrefix = 'images/';

/** Public copies of shared images: the only prefix CloudFront serves. */
export const publicImagePrefix = 'img/';

/** Objects created under this prefix of the image bucket are sent to the uploads queue. */
export const uploadPrefix = 'uploads/';

/** Messages wait this long in a dead-letter queue for an operator to look at or redrive them. */
export const deadLetterRetentionDays = 14;

/** Abandoned uploads are removed by a lifecycle rule after this many days. */
export const uploadExpiryDays = 1;

/**
 * Validated `edit` and `mask` uploads, re-encoded for the model, wait here for
 * `POST /api/edits`. Outside `uploads/`, so writing them starts no upload event.
 */
export const stagedUploadPrefix = 'staged/';

/** The inputs of edit jobs (source and mask), kept under the job so that a retry needs nothing else. */
export const jobInputPrefix = 'jobs/';

/** Edit inputs outlive every retry of their job: the queue keeps a message 4 days, its DLQ 14. */
export const jobInputExpiryDays = 30;

/** The image bucket's prefixes; IAM grants each function only those it uses. */
export type ImageBucketPrefix =
  | typeof imagePrefix
  | typeof publicImagePrefix
  | typeof uploadPrefix
  | typeof stagedUploadPrefix
  | typeof jobInputPrefix;

/** Image bucket objects that remove themselves: raw uploads, staged uploads, job inputs. */
export const expiringObjects: readonly { readonly prefix: string; readonly days: number }[] = [
  { prefix: uploadPrefix, days: uploadExpiryDays },
  { prefix: stagedUploadPrefix, days: uploadExpiryDays },
  { prefix: jobInputPrefix, days: jobInputExpiryDays },
];

export const userPool = {
  id: 'UserPool',
  clientId: 'WebClient',
  passwordPolicy: {
    minLength: 8,
    requireLowercase: true,
    requireUppercase: true,
    requireDigits: true,
    requireSymbols: false,
  },
  accessTokenValidityMinutes: 60,
  idTokenValidityMinutes: 60,
  refreshTokenValidityDays: 30,
  /** A login challenged for an authenticator code must be answered within this (Cognito: 3–15). */
  authSessionValidityMinutes: 3,
} as const;

/** The names the local stack gives its resources; AWS names come from CloudFormation. */
export function localName(
  prefix: string,
  resource: 'table' | QueueName | `${QueueName}-dlq` | keyof typeof buckets,
) {
  return `${prefix}-${resource}`;
}
