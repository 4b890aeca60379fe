import { measureBundles } from './bundles.ts';
import { benchFiguresFile, writeBenchFigures } from './figures.ts';
import { benchLocalStack, largestUpload } from './local-stack-bench.ts';
import { round } from './stats.ts';

/**
 * `npm run bench`: figures, not pass/fail. Function bundles and their module-load time
 * (the part of a cold start that is Easel's), HTTP throughput through the local runtime,
 * and generation end to end with the fake provider at zero latency.
 */
const kb = (bytes: number) => `${round(bytes / 1024, 0)} KB`;

console.log('Function bundles (as cdk synth builds them for Lambda), module load in a fresh Node process');
const { floor, functions } = await measureBundles();
const column = (text: string) => text.padStart(9);
console.log(`  ${'function'.padEnd(44)} ${column('bundle')} ${column('asset')}  module load, median of 5`);
console.log(
  `  ${floor.name.padEnd(44)} ${column(kb(floor.bytes))} ${column('')}  ${round(floor.coldStartMs!)} ms`,
);
for (const figure of functions) {
  const time =
    figure.coldStartMs === undefined
      ? figure.note
      : `${round(figure.coldStartMs)} ms (${round(figure.coldStartMs - floor.coldStartMs!)} ms over the floor)`;
  const asset = kb(figure.assetBytes ?? figure.bytes);
  console.log(`  ${figure.name.padEnd(44)} ${column(kb(figure.bytes))} ${column(asset)}  ${time}`);
}

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
  [`worker-uploads, one ${largestUpload.width}×${largestUpload.height} JPEG (40 MP)`, memory.workerUploadsMb],
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
