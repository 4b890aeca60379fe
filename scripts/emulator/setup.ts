import { ensureVenv } from './venv.ts';

// Creates the emulator's virtualenv ahead of time (CI, or a machine going offline).
console.log(`emulator ready: ${await ensureVenv()}`);
