import { ensureLocalStackVenv } from './localstack.ts';
import { ensureSchemathesisVenv } from './schemathesis.ts';
import { ensureVenv } from './venv.ts';

// Creates the emulators' virtualenvs ahead of time (CI, or a machine going offline): moto's, and
// LocalStack's for the tier where it serves S3, SQS and Secrets Manager, and Schemathesis's for
// the fuzzing of the API against its OpenAPI document.
console.log(`emulator ready: ${await ensureVenv()}`);
console.log(`LocalStack ready: ${await ensureLocalStackVenv()}`);
console.log(`Schemathesis ready: ${await ensureSchemathesisVenv()}`);
