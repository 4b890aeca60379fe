/** The provider refused the work for good (moderation, an invalid source): no retry. */
export class ProviderRefusal extends Error {
  constructor(
    readonly code: 'MODERATION_BLOCKED' | 'INVALID_SOURCE' | 'INVALID_REQUEST',
    message: string,
  ) {
    super(message);
    this.name = 'ProviderRefusal';
  }
}

/** The provider could not do the work now (rate limit, 5xx, timeout): retry later. */
export class ProviderUnavailable extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ProviderUnavailable';
  }
}
