import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { easelMetrics, metricsNamespace, serviceDimension } from '../../shared/metric-names.ts';
import { count, countImagesMade, recordMilliseconds } from '../../shared/metrics.ts';

interface EmbeddedMetric {
  _aws: {
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

let lines: EmbeddedMetric[];

beforeEach(() => {
  lines = [];
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk, ...rest) => {
    const text = String(chunk);
    if (text.includes('"_aws"')) {
      lines.push(JSON.parse(text));
      return true;
    }
    return write(chunk, ...(rest as []));
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** The one embedded-metric line emitted, as CloudWatch reads it. */
function emitted() {
  expect(lines).toHaveLength(1);
  const [line] = lines;
  const [directive] = line!._aws.CloudWatchMetrics;
  return { line: line!, directive: directive! };
}

describe('the metrics the functions emit', () => {
  it('a job failure: JobsFailed in the Easel namespace, by service and reason, as the alarms watch it', () => {
    count('jobsFailed', 'UPSTREAM_UNAVAILABLE');
    const { line, directive } = emitted();
    expect(directive.Namespace).toBe(metricsNamespace);
    expect(directive.Metrics).toEqual([{ Name: easelMetrics.jobsFailed.name, Unit: 'Count' }]);
    expect(directive.Dimensions).toEqual([[serviceDimension, 'reason']]);
    expect(line[serviceDimension]).toBe(easelMetrics.jobsFailed.service);
    expect(line.reason).toBe('UPSTREAM_UNAVAILABLE');
    expect(line[easelMetrics.jobsFailed.name]).toBe(1);
  });

  it('a dead letter: DeadLetters by service and kind', () => {
    count('deadLetters', 'upload');
    const { line, directive } = emitted();
    expect(directive.Dimensions).toEqual([[serviceDimension, 'kind']]);
    expect(line).toMatchObject({ [serviceDimension]: 'dead-letters', kind: 'upload', DeadLetters: 1 });
  });

  it('a count without a dimension of its own carries only its service', () => {
    count('quotaRefusals');
    const { line, directive } = emitted();
    expect(directive.Dimensions).toEqual([[serviceDimension]]);
    expect(line).toMatchObject({ [serviceDimension]: easelMetrics.quotaRefusals.service, QuotaRefusals: 1 });
  });

  it('images made and provider latency carry their values and units', () => {
    countImagesMade(3);
    recordMilliseconds('providerLatency', 1234);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ ImagesMade: 3, [serviceDimension]: 'jobs' });
    expect(lines[1]).toMatchObject({ ProviderLatency: 1234, [serviceDimension]: 'jobs' });
    expect(lines[1]!._aws.CloudWatchMetrics[0]!.Metrics).toEqual([
      { Name: 'ProviderLatency', Unit: 'Milliseconds' },
    ]);
  });
});
