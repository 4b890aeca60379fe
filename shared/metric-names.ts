/**
 * The metrics Easel emits (Powertools Metrics, CloudWatch embedded metric format), named
 * once: the functions emit them through shared/metrics.ts, and the alarms and dashboard
 * of infra/constructs/operations.ts watch exactly these. Powertools adds the `service`
 * dimension to every metric; a metric with a `dimension` is emitted with that one too.
 */

export const metricsNamespace = 'Easel';

/** Powertools' name for the dimension that carries a metric's service. */
export const serviceDimension = 'service';

/** Why a job failed, as its `error.code` says: the values of `JobsFailed`'s `reason`. */
export const jobFailureReasons = [
  // Retries exhausted: the message reached the dead-letter queue.
  'UPSTREAM_UNAVAILABLE',
  'MODERATION_BLOCKED',
  'INVALID_SOURCE',
  // The provider refused the request itself (a 400, or a model it does not know).
  'INVALID_REQUEST',
] as const;
export type JobFailureReason = (typeof jobFailureReasons)[number];

/** What a dead letter turned out to be: the values of `DeadLetters`'s `kind`. */
export const deadLetterKinds = ['job', 'upload', 'account', 'unrecognised'] as const;
export type DeadLetterKind = (typeof deadLetterKinds)[number];

export interface MetricDescription {
  readonly name: string;
  readonly service: string;
  readonly unit: 'Count' | 'Milliseconds';
  /** A second dimension, with the values it takes. */
  readonly dimension?: { readonly name: string; readonly values: readonly string[] };
}

export const easelMetrics = {
  /** A job message was queued: generation, edit, portrait or description. */
  jobsAccepted: { name: 'JobsAccepted', service: 'jobs', unit: 'Count' },
  jobsSucceeded: { name: 'JobsSucceeded', service: 'jobs', unit: 'Count' },
  jobsFailed: {
    name: 'JobsFailed',
    service: 'jobs',
    unit: 'Count',
    dimension: { name: 'reason', values: jobFailureReasons },
  },
  /** Images stored by image-making jobs (n per job). */
  imagesMade: { name: 'ImagesMade', service: 'jobs', unit: 'Count' },
  /** One call to the model provider that answered, and one that failed. */
  providerLatency: { name: 'ProviderLatency', service: 'jobs', unit: 'Milliseconds' },
  providerFailureLatency: { name: 'ProviderFailureLatency', service: 'jobs', unit: 'Milliseconds' },
  /** A request refused with 429 QUOTA_EXCEEDED. */
  quotaRefusals: { name: 'QuotaRefusals', service: 'api', unit: 'Count' },
  uploadsReady: { name: 'UploadsReady', service: 'uploads', unit: 'Count' },
  /** Uploads refused for what they are (not an image, too many pixels). */
  uploadsRefused: { name: 'UploadsRefused', service: 'uploads', unit: 'Count' },
  /** Uploads failed by the dead-letter worker after their retries. */
  uploadsFailed: { name: 'UploadsFailed', service: 'uploads', unit: 'Count' },
  /**
   * A message the dead-letter worker received: one that kept failing in its work queue.
   * Counted per receive, so a dead letter the worker cannot handle counts again each time.
   */
  deadLetters: {
    name: 'DeadLetters',
    service: 'dead-letters',
    unit: 'Count',
    dimension: { name: 'kind', values: deadLetterKinds },
  },
  /** An account and everything it owned were deleted. */
  accountsDeleted: { name: 'AccountsDeleted', service: 'accounts', unit: 'Count' },
  /** A dead letter the dead-letter worker could not handle: its job or upload stays unfinished. */
  deadLettersUnhandled: { name: 'DeadLettersUnhandled', service: 'dead-letters', unit: 'Count' },
} as const satisfies Record<string, MetricDescription>;

export type EaselMetric = keyof typeof easelMetrics;
