import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { arm64Node, arm64NodePackage, ensureArm64Node } from './arm64-node.ts';

const run = promisify(execFile);

// Installs the arm64 Node that runs the function bundles under qemu-user (CI, or a machine going
// offline), then starts it once so a broken toolchain shows here rather than in the first test.
const dir = await ensureArm64Node();
const { command, args } = arm64Node();
const started = performance.now();
const { stdout } = await run(command, [...args, '-p', 'process.version + " " + process.arch']);
const startMs = Math.round(performance.now() - started);
console.log(`arm64 node ${arm64NodePackage.version} ready: ${dir}`);
console.log(`  runs as: ${[command, ...args].join(' ')}`);
console.log(`  reports: ${stdout.trim()}, started in ${startMs} ms`);
