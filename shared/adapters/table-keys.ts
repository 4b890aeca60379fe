/** Item keys of the single table; docs/data-model.md describes each. */
export const keys = {
  profile: (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' }),
  usage: (userId: string, day: string) => ({ pk: `USER#${userId}`, sk: `USAGE#${day}` }),
  job: (jobId: string) => ({ pk: `JOB#${jobId}`, sk: 'JOB' }),
  image: (imageId: string) => ({ pk: imagePartition(imageId), sk: 'IMAGE' }),
  comment: (imageId: string, commentId: string) => ({
    pk: imagePartition(imageId),
    sk: `COMMENT#${commentId}`,
  }),
  /** A user's like of an image, in the image's partition: deleting the image deletes its likes. */
  like: (imageId: string, userId: string) => ({ pk: imagePartition(imageId), sk: `LIKE#${userId}` }),
  /**
   * One of a shared image's popularity entries, in the image's partition: `scope` is the
   * period (`DAY`, `WEEK`, `ALL`), alone or narrowed to the image's style (`DAY#STYLE`…).
   */
  rank: (imageId: string, scope: string) => ({ pk: imagePartition(imageId), sk: `RANK#${scope}` }),
  searchEntry: (word: string, imageId: string) => ({ pk: `WORD#${word}`, sk: `IMAGE#${imageId}` }),
  wordCount: (word: string) => ({ pk: `WORD#${word}`, sk: '#COUNT' }),
  upload: (uploadId: string) => ({ pk: `UPLOAD#${uploadId}`, sk: 'UPLOAD' }),
  character: (characterId: string) => ({ pk: `CHARACTER#${characterId}`, sk: 'CHARACTER' }),
  characterStats: (userId: string) => ({ pk: `USER#${userId}`, sk: 'STATS#CHARACTERS' }),
  idempotency: (userId: string, key: string) => ({ pk: `IDEMPOTENCY#${userId}#${key}`, sk: 'IDEMPOTENCY' }),
  /** One write-rate counter per user, kind and minute (epoch seconds of its start). */
  rate: (userId: string, kind: string, windowStart: number) => ({
    pk: `USER#${userId}`,
    sk: `RATE#${kind}#${windowStart}`,
  }),
  /** A single-use ticket that opens one live-updates socket. */
  liveTicket: (ticket: string) => ({ pk: `LIVETICKET#${ticket}`, sk: 'TICKET' }),
  /** One open live-updates socket of a user; the user's sockets are one `Query`. */
  connection: (userId: string, connectionId: string) => ({
    pk: `USER#${userId}`,
    sk: `${connectionPrefix}${connectionId}`,
  }),
  /** Whose a socket is, for `$disconnect`, which knows the connection id alone. */
  connectionOwner: (connectionId: string) => ({ pk: `CONNECTION#${connectionId}`, sk: 'CONNECTION' }),
  /** The ids and expiry of a user's open sockets, which bounds how many they hold. */
  openConnections: (userId: string) => ({ pk: `USER#${userId}`, sk: 'CONNECTIONS' }),
  /** The upload tickets a user holds that were neither used nor expired. */
  pendingUploads: (userId: string) => ({ pk: `USER#${userId}`, sk: 'UPLOADS#PENDING' }),
  /** One per public image of a user, in the user's partition: their profile's listing, newest first. */
  publicImage: (userId: string, imageId: string) => ({ pk: `USER#${userId}`, sk: `PUBLIC#${imageId}` }),
  /** One per comment a user wrote, in the user's partition, so that leaving finds them without a Scan. */
  authoredComment: (userId: string, imageId: string, commentId: string) => ({
    pk: `USER#${userId}`,
    sk: `COMMENT#${imageId}#${commentId}`,
  }),
};

/** Sort-key prefixes of the items listed in a user's partition. */
export const userItemPrefix = { publicImage: 'PUBLIC#', authoredComment: 'COMMENT#' } as const;

/** A user's partition: profile, counters, public images, authored comments. */
export function userPartition(userId: string): string {
  return `USER#${userId}`;
}

export const connectionPrefix = 'CONNECTION#';

/** An image and its comments share this partition key, so they are queried and deleted together. */
export function imagePartition(imageId: string): string {
  return `IMAGE#${imageId}`;
}

/** Index keys of the owner listings. */
export const ownerIndex = {
  jobs: (userId: string) => `OWNER#${userId}#JOBS`,
  jobsByStatus: (userId: string, status: string) => `OWNER#${userId}#JOBS#${status}`,
  images: (userId: string) => `OWNER#${userId}#IMAGES`,
  characters: (userId: string) => `OWNER#${userId}#CHARACTERS`,
  imagesByKind: (userId: string, kind: string) => `OWNER#${userId}#IMAGES#${kind}`,
  /** The images a user liked, newest like first (`gsi1sk` is a ULID made at like time). */
  likes: (userId: string) => `OWNER#${userId}#LIKES`,
};

/**
 * Partitions of the `popular` index (`gsi4pk`; `gsi4sk` is the score, a number): the shared
 * images of one period bucket (a UTC day, a 7-day span since the epoch, or all time),
 * optionally of one style. See docs/data-model.md.
 */
export const popularIndex = {
  name: 'popular',
  partition: (period: string, bucket: string | undefined, style?: string) =>
    `POPULAR#${period}${bucket === undefined ? '' : `#${bucket}`}${style ? `#STYLE#${style}` : ''}`,
} as const;

/**
 * Deployment-wide listings for operators, on the `gallery` index (`gsi3pk`) under partitions
 * of their own: failed jobs and every character, newest first, without a Scan.
 */
export const operatorIndex = {
  name: 'gallery',
  failedJobs: 'JOBS#FAILED',
  characters: 'CHARACTERS',
} as const;

/** Usage counters outlive their day by two, long enough for any job of the day to fail and give back. */
export function usageExpiry(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + 3 * 24 * 60 * 60;
}
