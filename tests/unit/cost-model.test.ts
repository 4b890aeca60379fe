import { describe, expect, it } from 'vitest';
import { functionPermissions } from '../../infra/function-permissions.ts';
import { referenceFigures } from '../../scripts/bench/reference-figures.ts';
import { defaultAssumptions, generationCost, total, uploadCost } from '../../scripts/cost/cost-model.ts';
import { priceTable } from '../../scripts/cost/prices.ts';

const worker = { memoryMb: 384, architecture: 'arm64' as const, timeoutSeconds: 300 };
const api = { memoryMb: 512, architecture: 'arm64' as const, timeoutSeconds: 10 };
const generation = (overrides: Partial<Parameters<typeof generationCost>[0]> = {}) =>
  generationCost({
    prices: priceTable,
    workerJobs: worker,
    apiFunction: api,
    callsPerJob: {},
    assumptions: defaultAssumptions,
    ...overrides,
  });
const line = (items: ReturnType<typeof generationCost>, service: string) =>
  items.filter((item) => item.service === service).reduce((sum, item) => sum + item.perThousand, 0);

describe('the cost of 1,000 generations', () => {
  it('bills worker-jobs by its memory for the provider’s latency and its own work, at the arm64 price', () => {
    const [workerLine] = generation();
    // 1,000 × (0.375 GB × 32 s × $0.0000133334 + $0.0000002)
    expect(workerLine!.perThousand).toBeCloseTo(0.1602, 4);
    const slower = generation({ assumptions: { ...defaultAssumptions, providerLatencySeconds: 60 } });
    expect(slower[0]!.perThousand).toBeCloseTo(0.3102, 4);
  });

  it('bills an x86_64 function at its dearer price', () => {
    const x86 = generation({ workerJobs: { ...worker, architecture: 'x86_64' } });
    expect(x86[0]!.perThousand).toBeGreaterThan(generation()[0]!.perThousand * 1.2);
  });

  it('prices the counted calls: reads, transactions at two units per item, SQS requests and S3 PUTs', () => {
    const counted = generation({
      callsPerJob: {
        'DynamoDB.GetItem': 4,
        'DynamoDB.TransactWriteItems': 2,
        'SQS.SendMessage': 1,
        'SQS.ReceiveMessage': 2,
        'S3.PUT object': 2,
      },
    });
    const none = generation();
    expect(line(counted, 'DynamoDB') - line(none, 'DynamoDB')).toBeCloseTo(
      1000 * (4 * 0.125e-6 + 2 * 4 * 0.625e-6),
      9,
    );
    expect(line(counted, 'SQS')).toBeCloseTo(1000 * 3 * 0.4e-6, 9);
    expect(line(counted, 'S3') - line(none, 'S3')).toBeCloseTo(1000 * 2 * 0.000005, 9);
  });

  it('prices viewing by what pages fetch: the display copy in full, thumbnails, and the original only when downloaded', () => {
    const viewing = generation().filter((item) => item.viewing);
    const a = defaultAssumptions;
    const bytes =
      a.displayViewsPerImage * a.displayBytes +
      a.originalDownloadsPerImage * a.originalBytes +
      a.thumbnailViewsPerImage * a.thumbnailBytes;
    const gets = a.displayViewsPerImage + a.originalDownloadsPerImage + a.thumbnailViewsPerImage;
    expect(total(viewing)).toBeCloseTo(1000 * ((bytes / 1e9) * 0.09 + gets * 0.0000004), 9);
    // Each download of the original costs what six views of the display copy cost.
    const downloads = generation({ assumptions: { ...a, originalDownloadsPerImage: 1.1 } });
    expect(total(downloads.filter((item) => item.viewing)) - total(viewing)).toBeCloseTo(
      1000 * ((a.originalBytes / 1e9) * 0.09 + 0.0000004),
      9,
    );
  });

  it('adds every line into the total, uploads included', () => {
    const items = uploadCost({
      prices: priceTable,
      workerUploads: { ...worker, memoryMb: 768 },
      workerJobs: worker,
      apiFunction: api,
      assumptions: defaultAssumptions,
    });
    expect(total(items)).toBeCloseTo(
      items.reduce((sum, item) => sum + item.perThousand, 0),
      12,
    );
    expect(total(items)).toBeGreaterThan(0);
  });
});

describe('the workers’ memory', () => {
  it.each([
    ['worker-jobs', referenceFigures.memory.workerJobsMb],
    ['worker-uploads', referenceFigures.memory.workerUploadsMb],
  ])('%s has at least half again the peak the bench measured', (name, peakMb) => {
    expect(functionPermissions[name]!.memorySize).toBeGreaterThanOrEqual(peakMb * 1.5);
  });
});
