import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { type EaselMetric, easelMetrics, metricsNamespace } from './metric-names.ts';

type Metric = (typeof easelMetrics)[EaselMetric];
/** The value of a metric's own dimension, for metrics that have one. */
type DimensionArgument<M extends EaselMetric> = (typeof easelMetrics)[M] extends {
  dimension: { values: readonly (infer V)[] };
}
  ? [value: V]
  : [];

const emitters = new Map<string, Metrics>();

function emitterOf(service: string): Metrics {
  let emitter = emitters.get(service);
  if (!emitter) {
    emitter = new Metrics({ namespace: metricsNamespace, serviceName: service });
    emitters.set(service, emitter);
  }
  return emitter;
}

/**
 * Emits one value of an Easel metric at once (one embedded-metric log line), so nothing
 * waits for the end of an invocation and nothing is lost when a handler throws.
 */
function emit(metric: Metric, value: number, dimensionValue?: string): void {
  const single = emitterOf(metric.service).singleMetric();
  if ('dimension' in metric && dimensionValue !== undefined) {
    single.addDimension(metric.dimension.name, dimensionValue);
  }
  single.addMetric(metric.name, MetricUnit[metric.unit], value);
}

/** Adds one to a count, with the value of the metric's dimension when it has one. */
export function count<M extends EaselMetric>(metric: M, ...dimension: DimensionArgument<M>): void {
  emit(easelMetrics[metric], 1, dimension[0] as string | undefined);
}

/** Adds the number of images a job made. */
export function countImagesMade(n: number): void {
  emit(easelMetrics.imagesMade, n);
}

/** Records a duration in milliseconds. */
export function recordMilliseconds(metric: 'providerLatency' | 'providerFailureLatency', ms: number): void {
  emit(easelMetrics[metric], ms);
}
