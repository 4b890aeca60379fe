import { ensureLocalStackVenv } from './localstack.ts';
import { ensureVenv } from './venv.ts';

// Creates the emulators' virtualenvs ahead of time (CI, or a machine going offline): moto's, and
// LocalStack's for the tier where it serves S3, SQS and Secrets Manager.
console.log(`emulator ready: ${await ensureVenv()}`);
console.log(`LocalStack ready: ${await ensureLocalStackVenv()}`);
