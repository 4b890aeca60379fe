/**
 * AWS list prices, us-east-1, in US dollars: the one price table of `npm run cost`. Tiers are
 * the first ones (what a young stage pays), free tiers left out. Check them against the
 * services' pricing pages (aws.amazon.com/<service>/pricing) when this date gets old.
 */
export const priceTable = {
  asOf: '2026-11-29',
  region: 'us-east-1',
  lambda: {
    /** Per GB-second of an arm64 function (first 7.5 billion GB-s a month). */
    arm64GbSecond: 0.0000133334,
    /** Per GB-second of an x86_64 function, should one appear in the template. */
    x86GbSecond: 0.0000166667,
    perRequest: 0.2 / 1e6,
  },
  /** HTTP API, per request (first 300 million a month; metered per 512 KB). */
  httpApiPerRequest: 1.0 / 1e6,
  /** Standard queues, per request (each 64 KB chunk of a payload). */
  sqsPerRequest: 0.4 / 1e6,
  dynamoDb: {
    /** On-demand, per write request unit (1 KB; transactions take two per item). */
    perWriteUnit: 0.625 / 1e6,
    /** On-demand, per read request unit (4 KB strongly consistent, 8 KB eventually). */
    perReadUnit: 0.125 / 1e6,
  },
  s3: {
    /** PUT, COPY, POST, LIST per request (S3 Standard). */
    perPut: 0.005 / 1000,
    perGet: 0.0004 / 1000,
    perGbMonth: 0.023,
    /** Data transfer out to the internet (signed URLs of private images), first 10 TB. */
    transferOutPerGb: 0.09,
  },
  cloudFront: {
    /** North America and Europe (price class 100), first 10 TB. */
    transferOutPerGb: 0.085,
    perHttpsRequest: 0.01 / 10_000,
  },
  /** Per trace recorded. */
  xRayPerTrace: 5.0 / 1e6,
  /** CloudWatch Logs, per GB ingested (standard class). */
  logsPerGb: 0.5,
} as const;

export type PriceTable = typeof priceTable;
