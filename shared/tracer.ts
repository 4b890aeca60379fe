import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * One X-Ray tracer per container (Powertools). Off outside Lambda, and wherever
 * POWERTOOLS_TRACE_ENABLED is `false` (the local stack, which has no X-Ray daemon); then
 * every call here does nothing but run the work.
 */
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'easel' });
// Calls made at cold start (reading the secrets) run before Lambda opens the invocation's
// trace; X-Ray would log an error for each. They go untraced instead.
tracer.provider.setContextMissingStrategy('IGNORE_ERROR');

/**
 * Runs `work` in a subsegment of its own, annotated (annotations are indexed: a trace can
 * be found by them), so that its time shows apart in the trace. Safe for work running
 * side by side: X-Ray keeps the current subsegment per async context.
 */
export function traced<T>(
  name: string,
  annotations: Readonly<Record<string, string>>,
  work: () => Promise<T>,
): Promise<T> {
  if (!tracer.isTracingEnabled()) return work();
  return tracer.provider.captureAsyncFunc(name, async (subsegment) => {
    for (const [key, value] of Object.entries(annotations)) subsegment?.addAnnotation(key, value);
    try {
      return await work();
    } catch (error) {
      subsegment?.addError(error as Error);
      throw error;
    } finally {
      subsegment?.close();
    }
  }) as Promise<T>;
}
