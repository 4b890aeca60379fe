#!/usr/bin/env node
// The CLI is TypeScript run as it is (the repo has no build step for it): tsx compiles it on load.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('./main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
