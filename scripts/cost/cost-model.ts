import type { PriceTable } from './prices.ts';

/** A function as the synthesized template deploys it. */
export interface DeployedFunction {
  readonly memoryMb: number;
  readonly architecture: 'arm64' | 'x86_64';
  readonly timeoutSeconds: number;
}

/** What `npm run cost` cannot know and states: each is printed beside the result. */
export interface Assumptions {
  /** How long the model takes to answer one generation. */
  readonly providerLatencySeconds: number;
  /** How long the vision model takes to describe one upload. */
  readonly visionLatencySeconds: number;
  /** worker-jobs' own work per job besides waiting (decode, thumbnails, writes). */
  readonly workerJobsWorkSeconds: number;
  /** worker-uploads' work on one upload (read, sniff, re-encode, thumbnail, writes). */
  readonly workerUploadsSeconds: number;
  /** Average billed duration of an API request. */
  readonly apiRequestSeconds: number;
  /** API requests a client makes per generation besides the POST (status reads, the image). */
  readonly apiReadsPerGeneration: number;
  readonly imagesPerGeneration: number;
  readonly originalBytes: number;
  readonly thumbnailBytes: number;
  /** The WebP copy that pages show an image with, in full (the original PNG is for download). */
  readonly displayBytes: number;
  /** Times an image is seen in full (its display copy), downloaded (its original) and as a thumbnail. */
  readonly displayViewsPerImage: number;
  readonly originalDownloadsPerImage: number;
  readonly thumbnailViewsPerImage: number;
  /** The average upload described. */
  readonly uploadBytes: number;
  /** Read units per read call and write units per write call (transactions: two items, two units each). */
  readonly readUnitsPerCall: number;
  readonly writeUnitsPerTransaction: number;
  readonly logBytesPerJob: number;
  readonly tracesPerJob: number;
}

export const defaultAssumptions: Assumptions = {
  providerLatencySeconds: 30,
  visionLatencySeconds: 5,
  workerJobsWorkSeconds: 2,
  workerUploadsSeconds: 3,
  apiRequestSeconds: 0.1,
  apiReadsPerGeneration: 4,
  imagesPerGeneration: 1,
  originalBytes: 1.6e6,
  thumbnailBytes: 40e3,
  // 1536×1024 at WebP quality 82 and effort 2: about 1.3 bits a pixel for a photographic
  // image, about 5 % more than at libwebp's default effort 4 (docs/capacity.md).
  displayBytes: 260e3,
  displayViewsPerImage: 1,
  originalDownloadsPerImage: 0.1,
  thumbnailViewsPerImage: 10,
  uploadBytes: 4e6,
  readUnitsPerCall: 1,
  writeUnitsPerTransaction: 4,
  logBytesPerJob: 10e3,
  tracesPerJob: 2,
};

export interface LineItem {
  readonly service: string;
  readonly what: string;
  /** Dollars per 1,000 units (generations or uploads). */
  readonly perThousand: number;
  /** People looking at the result: a cost of traffic more than of making the image. */
  readonly viewing?: boolean;
}

const gb = 1e9;

function lambda(prices: PriceTable, fn: DeployedFunction, seconds: number, invocations: number) {
  const perGbSecond = fn.architecture === 'arm64' ? prices.lambda.arm64GbSecond : prices.lambda.x86GbSecond;
  return invocations * ((fn.memoryMb / 1024) * seconds * perGbSecond + prices.lambda.perRequest);
}

/** DynamoDB and SQS calls by `Service.Operation`, as the bench counts them, priced. */
function awsCalls(prices: PriceTable, calls: Readonly<Record<string, number>>, assumptions: Assumptions) {
  let dynamoDb = 0;
  let sqs = 0;
  for (const [operation, count] of Object.entries(calls)) {
    const [service, action = ''] = operation.split('.');
    if (service === 'DynamoDB') {
      if (/^(Get|BatchGet|Query)/.test(action))
        dynamoDb += count * assumptions.readUnitsPerCall * prices.dynamoDb.perReadUnit;
      else if (action.startsWith('Transact'))
        dynamoDb += count * assumptions.writeUnitsPerTransaction * prices.dynamoDb.perWriteUnit;
      else dynamoDb += count * prices.dynamoDb.perWriteUnit;
    } else if (service === 'SQS') sqs += count * prices.sqsPerRequest;
  }
  return { dynamoDb, sqs };
}

function s3Calls(prices: PriceTable, calls: Readonly<Record<string, number>>) {
  let total = 0;
  for (const [operation, count] of Object.entries(calls)) {
    if (operation.startsWith('S3.PUT') || operation.startsWith('S3.POST')) total += count * prices.s3.perPut;
    else if (operation.startsWith('S3.GET')) total += count * prices.s3.perGet;
  }
  return total;
}

/** Viewing an image: signed S3 GETs and S3's transfer out (private images, the dearer path). */
function views(prices: PriceTable, a: Assumptions, images: number) {
  const bytes =
    a.displayViewsPerImage * a.displayBytes +
    a.originalDownloadsPerImage * a.originalBytes +
    a.thumbnailViewsPerImage * a.thumbnailBytes;
  const requests = a.displayViewsPerImage + a.originalDownloadsPerImage + a.thumbnailViewsPerImage;
  return images * ((bytes / gb) * prices.s3.transferOutPerGb + requests * prices.s3.perGet);
}

const thousand = (items: { service: string; what: string; each: number; viewing?: boolean }[]): LineItem[] =>
  items.map(({ each, ...item }) => ({ ...item, perThousand: each * 1000 }));

/** Infra dollars per 1,000 generations (one job each), the model's own price excluded. */
export function generationCost(input: {
  prices: PriceTable;
  workerJobs: DeployedFunction;
  apiFunction: DeployedFunction;
  callsPerJob: Readonly<Record<string, number>>;
  assumptions: Assumptions;
}): LineItem[] {
  const { prices, assumptions: a } = input;
  const apiRequests = 1 + a.apiReadsPerGeneration;
  const calls = awsCalls(prices, input.callsPerJob, a);
  // Each status or image read: the revoked-before check and the item itself.
  const readUnits = a.apiReadsPerGeneration * 2 * a.readUnitsPerCall;
  const stored = a.imagesPerGeneration * (a.originalBytes + a.displayBytes + a.thumbnailBytes);
  return thousand([
    {
      service: 'Lambda',
      what: `worker-jobs, ${input.workerJobs.memoryMb} MB ${input.workerJobs.architecture}, ${a.providerLatencySeconds} s waiting + ${a.workerJobsWorkSeconds} s work`,
      each: lambda(prices, input.workerJobs, a.providerLatencySeconds + a.workerJobsWorkSeconds, 1),
    },
    {
      service: 'Lambda',
      what: `API functions, ${apiRequests} requests of ${a.apiRequestSeconds} s at ${input.apiFunction.memoryMb} MB`,
      each: lambda(prices, input.apiFunction, a.apiRequestSeconds, apiRequests),
    },
    {
      service: 'API Gateway',
      what: `HTTP API, ${apiRequests} requests`,
      each: apiRequests * prices.httpApiPerRequest,
    },
    {
      service: 'CloudFront',
      what: `${apiRequests} API requests through the edge`,
      each: apiRequests * prices.cloudFront.perHttpsRequest,
    },
    { service: 'SQS', what: 'calls per job, as the bench counts them', each: calls.sqs },
    {
      service: 'DynamoDB',
      what: 'calls per job as the bench counts them, and the client’s reads',
      each: calls.dynamoDb + readUnits * prices.dynamoDb.perReadUnit,
    },
    {
      service: 'S3',
      what: 'PUTs per job, as the bench counts them',
      each: s3Calls(prices, input.callsPerJob),
    },
    {
      service: 'S3',
      what: `storage of ${a.imagesPerGeneration} original, display copy and thumbnail, first month`,
      each: (stored / gb) * prices.s3.perGbMonth,
    },
    {
      service: 'S3',
      what: `views: display copy ×${a.displayViewsPerImage}, original downloaded ×${a.originalDownloadsPerImage}, thumbnail ×${a.thumbnailViewsPerImage}, signed GETs and transfer out`,
      each: views(prices, a, a.imagesPerGeneration),
      viewing: true,
    },
    {
      service: 'CloudWatch',
      what: `${a.logBytesPerJob / 1000} KB of logs, ${a.tracesPerJob} X-Ray traces`,
      each: (a.logBytesPerJob / gb) * prices.logsPerGb + a.tracesPerJob * prices.xRayPerTrace,
    },
  ]);
}

/** Infra dollars per 1,000 uploads described (presigned POST, worker-uploads, the description job). */
export function uploadCost(input: {
  prices: PriceTable;
  workerUploads: DeployedFunction;
  workerJobs: DeployedFunction;
  apiFunction: DeployedFunction;
  assumptions: Assumptions;
}): LineItem[] {
  const { prices, assumptions: a } = input;
  // Ticket, then the image read until it is described.
  const apiRequests = 1 + a.apiReadsPerGeneration;
  const uploadStored = a.uploadBytes + a.displayBytes + a.thumbnailBytes;
  return thousand([
    {
      service: 'Lambda',
      what: `worker-uploads, ${input.workerUploads.memoryMb} MB, ${a.workerUploadsSeconds} s`,
      each: lambda(prices, input.workerUploads, a.workerUploadsSeconds, 1),
    },
    {
      service: 'Lambda',
      what: `worker-jobs describing it, ${input.workerJobs.memoryMb} MB, ${a.visionLatencySeconds} s waiting + 1 s`,
      each: lambda(prices, input.workerJobs, a.visionLatencySeconds + 1, 1),
    },
    {
      service: 'Lambda',
      what: `API functions, ${apiRequests} requests`,
      each: lambda(prices, input.apiFunction, a.apiRequestSeconds, apiRequests),
    },
    {
      service: 'API Gateway + CloudFront',
      what: `${apiRequests} requests`,
      each: apiRequests * (prices.httpApiPerRequest + prices.cloudFront.perHttpsRequest),
    },
    // The S3 event, the description job: each sent, received and deleted.
    { service: 'SQS', what: '2 messages, each sent, received and deleted', each: 6 * prices.sqsPerRequest },
    {
      service: 'DynamoDB',
      what: 'ticket, image record, description job (transactions)',
      each: 4 * a.writeUnitsPerTransaction * prices.dynamoDb.perWriteUnit + 6 * prices.dynamoDb.perReadUnit,
    },
    {
      service: 'S3',
      what: 'POST, GET, PUT original, display copy and thumbnail, GET for the description',
      each: 4 * prices.s3.perPut + 2 * prices.s3.perGet,
    },
    {
      service: 'S3',
      what: 'storage of the original, display copy and thumbnail, first month',
      each: (uploadStored / gb) * prices.s3.perGbMonth,
    },
    {
      service: 'CloudWatch',
      what: 'logs and traces of two jobs',
      each: 2 * ((a.logBytesPerJob / gb) * prices.logsPerGb + a.tracesPerJob * prices.xRayPerTrace),
    },
  ]);
}

export const total = (items: readonly LineItem[]) => items.reduce((sum, item) => sum + item.perThousand, 0);
