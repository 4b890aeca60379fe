import { extraBytesTarget, floorModulesStated, loadRatioTarget, measureBundles } from './bundles.ts';
import { printEdgeSimulation, simulateEdge } from './edge-simulation.ts';
import { benchFiguresFile, writeBenchFigures } from './figures.ts';
import { benchLocalStack, largestUpload } from './local-stack-bench.ts';
import { round } from './stats.ts';

/**
 * `npm run bench`: figures, not pass/fail. Function bundles and their module-load time
 * beside their floors (the part of a cold start that is Easel's), HTTP throughput through
 * the local runtime, generation end to end with the fake provider at zero latency, and the
 * gallery behind a stand-in for CloudFront. `npm run bench -- bundles stack edge` picks sections;
 * `npm run bench -- bundles api-catalogue api-gallery` measures only those functions' bundles.
 */
const kb = (bytes: number) => `${round(bytes / 1024, 0)} KB`;
const signedKb = (bytes: number) => `${bytes >= 0 ? '+' : '−'}${round(Math.abs(bytes) / 1024, 0)} KB`;
const known = ['bundles', 'stack', 'edge'];
const sections = process.argv.slice(2).filter((arg) => known.includes(arg));
// Any other word names a function: `npm run bench -- bundles api-catalogue` measures that one only.
const functionNames = process.argv.slice(2).filter((arg) => !known.includes(arg));
const wanted = (section: string) =>
  sections.includes(section) ||
  (sections.length === 0 && (functionNames.length === 0 || section === 'bundles'));

if (wanted('bundles')) {
  console.log(
    "Function bundles (esbuild with the CDK's options), module load in fresh Node processes, each beside its own floor",
  );
  console.log(`  floor: a bundle of exactly the floor modules the function imports: ${floorModulesStated}`);
  const figures = await measureBundles(
    10,
    functionNames.length === 0 ? undefined : (name) => functionNames.includes(name),
  );
  const unknown = functionNames.filter((name) => !figures.some((figure) => figure.name === name));
  if (unknown.length > 0) {
    console.error(
      `  No function named ${unknown.join(', ')} in functions/; the sections are ${known.join(', ')}.`,
    );
    process.exitCode = 1;
  }
  console.log(
    `  targets: module load ≤ ${loadRatioTarget}× the floor's; bundle ≤ ${kb(extraBytesTarget)} above the floor's. Medians of ${figures[0]?.pairs ?? 0} alternate pairs.`,
  );
  const c = (text: string, width = 9) => text.padStart(width);
  console.log(
    `  ${'function'.padEnd(20)} ${c('floor')} ${c('function')} ${c('ratio', 7)}    ${c('floor')} ${c('function')} ${c('difference', 11)}`,
  );
  for (const figure of figures) {
    const ratio = figure.functionMs / figure.floorMs;
    const extra = figure.bytes - figure.floorBytes;
    const mark = (ok: boolean) => (ok ? 'ok' : 'OVER');
    console.log(
      `  ${figure.name.padEnd(20)} ${c(`${round(figure.floorMs)} ms`)} ${c(`${round(figure.functionMs)} ms`)} ${c(`${round(ratio, 2)}×`, 7)} ${mark(ratio <= loadRatioTarget).padEnd(4)}` +
        `${c(kb(figure.floorBytes))} ${c(kb(figure.bytes))} ${c(signedKb(extra), 11)} ${mark(extra <= extraBytesTarget)}`,
    );
  }
  console.log('\n  What Easel adds above each floor, largest first (bytes in the minified bundle):');
  for (const figure of figures) {
    const top = figure.added
      .slice(0, 6)
      .map((entry) => `${entry.origin} ${kb(entry.bytes)}`)
      .join(', ');
    console.log(`  ${figure.name.padEnd(20)} ${top}`);
    const reads = `${figure.secretReads} secret read${figure.secretReads === 1 ? '' : 's'}`;
    console.log(`  ${''.padEnd(20)} floor: ${figure.floorModules.join(', ')}; ${reads}`);
  }
}

if (wanted('stack')) {
  console.log('\nLocal stack (moto emulator, fake provider at zero latency), 10 connections for 5 s');
  const result = await benchLocalStack();
  for (const [route, figures] of Object.entries({
    'GET /api/health': result.http.health,
    'GET /api/me (JWT + profile)': result.http.me,
  })) {
    console.log(
      `  ${route.padEnd(30)} ${String(figures.requestsPerSecond).padStart(6)} req/s  p50 ${figures.p50Ms} ms  p99 ${figures.p99Ms} ms  errors ${figures.errors}`,
    );
  }
  const generation = result.generation;
  console.log(
    `\nGeneration, POST /api/generations → SUCCEEDED, ${generation.jobs} jobs one after another (n = 1)`,
  );
  console.log(`  median ${generation.medianMs} ms, p95 ${generation.p95Ms} ms`);
  console.log(
    "  AWS calls per job (counted at the emulator; SQS ReceiveMessage/DeleteMessageBatch are the event source mapping's):",
  );
  for (const [operation, count] of Object.entries(generation.callsPerJob))
    console.log(`    ${operation.padEnd(36)} ${count}`);

  const { live } = result;
  console.log(
    `\nLive updates, ${live.jobs} jobs one after another (n = 1, fake provider at zero latency), a socket open throughout`,
  );
  for (const [what, figures, target] of [
    ['POST → SUCCEEDED written', live.postToWritten, live.targets.postToWrittenP50Ms],
    ['SUCCEEDED written → message on the socket', live.writtenToMessage, live.targets.writtenToMessageP50Ms],
  ] as const) {
    const met = figures.p50Ms <= target ? 'met' : 'missed';
    console.log(
      `  ${what.padEnd(42)} p50 ${String(figures.p50Ms).padStart(6)} ms  p95 ${String(figures.p95Ms).padStart(6)} ms   target p50 ≤ ${target} ms (${met})`,
    );
  }

  const { memory } = result;
  console.log('\nPeak memory (VmHWM of the function’s processes; TypeScript through tsx, so an upper bound)');
  for (const [what, mb] of [
    ['worker-jobs, 4 images of 1536×1024 and their thumbnails', memory.workerJobsMb],
    [
      `worker-uploads, one ${largestUpload.width}×${largestUpload.height} JPEG (40 MP)`,
      memory.workerUploadsMb,
    ],
    ['worker-jobs, after describing that upload too', memory.workerJobsAfterDescribingMb],
    ['api-catalogue, next to nothing (the floor of a process)', memory.floorMb],
  ] as const) {
    console.log(`  ${what.padEnd(58)} ${String(mb).padStart(4)} MB`);
  }
  // What npm run cost reads: the calls per job and the memory, with the day they were measured.
  await writeBenchFigures({
    measuredOn: new Date().toISOString().slice(0, 10),
    callsPerJob: generation.callsPerJob,
    memory,
  });
  console.log(`\nFigures written to ${benchFiguresFile} (npm run cost reads them)`);
}

if (wanted('edge')) {
  const options = { requests: 1500, seconds: 15 };
  console.log('\nEdge simulation: the gallery behind a stand-in for CloudFront (local runtime, moto)');
  printEdgeSimulation(await simulateEdge(options), options);
}
