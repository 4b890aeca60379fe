import path from 'node:path';
import { parseArgs } from 'node:util';
import { synthesizeLocalAssembly } from '../assembly/cloud-assembly.ts';
import { functionNameOf } from '../assembly/runtime-model.ts';
import { readBenchFigures } from '../bench/figures.ts';
import { referenceFigures } from '../bench/reference-figures.ts';
import {
  type Assumptions,
  type DeployedFunction,
  defaultAssumptions,
  generationCost,
  type LineItem,
  total,
  uploadCost,
} from './cost-model.ts';
import { priceTable } from './prices.ts';

/**
 * `npm run cost`: infra dollars per 1,000 generations and per 1,000 uploads described, from
 * the synthesized template (each function's memory, architecture and timeout), the AWS calls
 * per job `npm run bench` counted, and the list prices of ./prices.ts. Every assumption is
 * printed; `--latency <s>` sets the provider's.
 */
const { values } = parseArgs({ options: { latency: { type: 'string' } } });
const assumptions: Assumptions = {
  ...defaultAssumptions,
  ...(values.latency === undefined ? {} : { providerLatencySeconds: Number(values.latency) }),
};
if (!(assumptions.providerLatencySeconds >= 0)) throw new Error('--latency takes seconds, e.g. --latency 30');

/** Infra dollars per 1,000 generations this design aims to stay under, the model excluded. */
const targetPerThousand = 0.4;
/** The default quality's price per image (IMAGE_PRICES_USD in shared/config.ts), for scale. */
const modelPricePerImage = 0.042;

const assembly = await synthesizeLocalAssembly(
  path.resolve(import.meta.dirname, '../../.local/cost-assembly'),
);
const functions = new Map<string, DeployedFunction>();
for (const resource of Object.values(assembly.stateless.template.Resources)) {
  if (resource.Type !== 'AWS::Lambda::Function') continue;
  const properties = resource.Properties ?? {};
  const name = functionNameOf(properties);
  if (!name) continue;
  functions.set(name, {
    memoryMb: Number(properties.MemorySize ?? 128),
    architecture: ((properties.Architectures as string[] | undefined)?.[0] ?? 'x86_64') as 'arm64',
    timeoutSeconds: Number(properties.Timeout ?? 3),
  });
}
const deployed = (name: string) => {
  const fn = functions.get(name);
  if (!fn) throw new Error(`The template has no function ${name}`);
  return fn;
};

const measured = await readBenchFigures();
const figures = measured ?? referenceFigures;

const money = (dollars: number) => `$${dollars.toFixed(dollars < 0.01 ? 4 : 3)}`;
function print(title: string, items: readonly LineItem[]) {
  console.log(`\n${title}`);
  for (const item of items) {
    console.log(`  ${item.service.padEnd(24)} ${money(item.perThousand).padStart(8)}  ${item.what}`);
  }
  console.log(`  ${'total'.padEnd(24)} ${money(total(items)).padStart(8)}`);
}

console.log(`List prices: ${priceTable.region}, as of ${priceTable.asOf} (scripts/cost/prices.ts)`);
console.log(
  `AWS calls per job: ${measured ? `npm run bench on ${figures.measuredOn} (${path.relative(process.cwd(), path.resolve(import.meta.dirname, '../../.local/bench.json'))})` : `the reference run of ${figures.measuredOn} (scripts/bench/reference-figures.ts; npm run bench measures anew)`}`,
);
console.log('Assumptions:');
for (const [name, value] of Object.entries(assumptions)) console.log(`  ${name.padEnd(28)} ${value}`);

const generations = generationCost({
  prices: priceTable,
  workerJobs: deployed('worker-jobs'),
  apiFunction: deployed('api-generations'),
  callsPerJob: figures.callsPerJob,
  assumptions,
});
print('Per 1,000 generations (one job, one image each), the model excluded', generations);
const perThousand = total(generations);
const making = total(generations.filter((item) => !item.viewing));
console.log(
  `  of which making it ${money(making)}, people viewing it (as assumed) ${money(perThousand - making)}`,
);
console.log(
  `  ${perThousand <= targetPerThousand ? 'within' : 'OVER'} the target of ${money(targetPerThousand)}; the model itself: ${money(modelPricePerImage * 1000 * assumptions.imagesPerGeneration)} (${money(modelPricePerImage)} an image at the default quality)`,
);

print(
  'Per 1,000 uploads described, the vision model excluded',
  uploadCost({
    prices: priceTable,
    workerUploads: deployed('worker-uploads'),
    workerJobs: deployed('worker-jobs'),
    apiFunction: deployed('api-uploads'),
    assumptions,
  }),
);
console.log(
  `\nPeak memory measured by the bench (${figures.measuredOn}): worker-jobs ${figures.memory.workerJobsMb} MB of ${deployed('worker-jobs').memoryMb} MB, worker-uploads ${figures.memory.workerUploadsMb} MB of ${deployed('worker-uploads').memoryMb} MB`,
);
