import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** What `npm run bench` measured and `npm run cost` prices. */
export interface BenchFigures {
  /** YYYY-MM-DD. */
  readonly measuredOn: string;
  /** AWS calls per generation job (n = 1), by `Service.Operation`, counted at the emulator. */
  readonly callsPerJob: Readonly<Record<string, number>>;
  readonly memory: {
    readonly workerJobsMb: number;
    readonly workerUploadsMb: number;
    readonly workerJobsAfterDescribingMb: number;
    readonly floorMb: number;
  };
}

export const benchFiguresFile = path.resolve(import.meta.dirname, '../../.local/bench.json');

export async function writeBenchFigures(figures: BenchFigures): Promise<void> {
  await mkdir(path.dirname(benchFiguresFile), { recursive: true });
  await writeFile(benchFiguresFile, `${JSON.stringify(figures, null, 2)}\n`);
}

/** The last bench run's figures on this machine, if any. */
export async function readBenchFigures(): Promise<BenchFigures | undefined> {
  try {
    return JSON.parse(await readFile(benchFiguresFile, 'utf8')) as BenchFigures;
  } catch {
    return undefined;
  }
}
