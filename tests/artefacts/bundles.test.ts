import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { arm64Node } from '../../scripts/arm64/arm64-node.ts';
import { readCloudAssembly } from '../../scripts/assembly/cloud-assembly.ts';
import type { RunningLocalStack } from '../../scripts/local-stack.ts';
import { functionConfig } from '../../shared/function-config.ts';
import { apiClient } from '../integration/support/api.ts';
import { download, formOf } from '../integration/support/images.ts';
import { startTestStack } from '../integration/support/stack.ts';
import { solidImage } from '../support/images.ts';

/**
 * What `cdk deploy` ships, run as Lambda runs it: every function bundle of the synthesized
 * assembly (`npm run synth` writes it to cdk.out, the four with sharp carrying its
 * linux-arm64 build) on Node 22 for arm64 under qemu-user, each with its template
 * environment, against the emulator. Slow by nature: a cold start under emulation takes
 * seconds.
 */
const assemblyDirectory = path.resolve(import.meta.dirname, '../../cdk.out');
const loaded = new Set<string>();
let stack: RunningLocalStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  const assembly = readCloudAssembly(assemblyDirectory, 'dev');
  if (!assembly.bundled) throw new Error(`${assemblyDirectory} holds no bundles: run npm run synth first`);
  stack = await startTestStack({
    assembly,
    source: { kind: 'bundle', node: arm64Node() },
    onInvoked: (name) => loaded.add(name),
  });
  api = apiClient(stack.url);
});
afterAll(async () => {
  await stack?.stop();
});

describe('the shipped bundles on arm64 Node 22', () => {
  it('run on Lambda’s architecture', async () => {
    const { stdout } = await import('node:child_process').then(({ execFileSync }) => ({
      stdout: execFileSync(
        arm64Node().command,
        [...arm64Node().args, '-p', 'process.arch + " " + process.version'],
        {
          encoding: 'utf8',
        },
      ),
    }));
    expect(stdout.trim()).toMatch(/^arm64 v22\./);
  });

  it('each API function answers a real request, and worker-jobs makes a real image with its thumbnail', async () => {
    expect((await api.call('GET', '/api/health')).status).toBe(200);
    const { token } = await api.newUser('arm64@example.com');
    expect((await api.call('GET', '/api/me', { token })).status).toBe(200);

    // api-live issues a ticket and live-socket spends it; the job's changes are posted to the
    // socket with the management API client bundled in api-generations and worker-jobs.
    const ticket = await api.call('POST', '/api/live/ticket', { token });
    expect(ticket.status).toBe(201);
    const socket = new WebSocket(
      `${stack.url.replace(/^http/, 'ws')}/api/live?ticket=${encodeURIComponent(ticket.json.ticket)}`,
    );
    const statuses: string[] = [];
    socket.on('message', (data) => statuses.push(JSON.parse(String(data)).status));
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });

    const accepted = await api.call('POST', '/api/generations', {
      token,
      body: { prompt: 'a lighthouse at dusk, on arm64', n: 1 },
    });
    expect(accepted.status).toBe(202);
    const job = await api.waitForJob(accepted.json.jobId, token, 240_000);
    expect(job.status).toBe('SUCCEEDED');
    await expect.poll(() => statuses, { timeout: 30_000 }).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
    socket.close();
    const imageId = job.imageIds[0] as string;

    const image = await api.call('GET', `/api/images/${imageId}`, { token });
    expect(image.status).toBe(200);
    // sharp for linux-arm64, inside worker-jobs' bundle, encoded the thumbnail.
    const thumbnail = await sharp(await download(image.json.urls.thumbnail)).metadata();
    expect(thumbnail.format).toBe('webp');
    expect(thumbnail.width).toBeLessThanOrEqual(512);

    expect((await api.call('GET', '/api/images', { token })).status).toBe(200);
    expect((await api.call('POST', `/api/images/${imageId}/share`, { token })).status).toBe(200);
    expect((await api.call('GET', '/api/gallery')).status).toBe(200);
    expect(
      (
        await api.call('POST', `/api/images/${imageId}/comments`, {
          token,
          body: { text: 'Built on arm64.' },
        })
      ).status,
    ).toBe(201);
    // Unsharing invalidates the public copies with the CloudFront client bundled in api-images.
    expect((await api.call('DELETE', `/api/images/${imageId}/share`, { token })).status).toBe(200);
    expect((await api.call('GET', '/api/characters', { token })).status).toBe(200);

    // api-uploads re-encodes with its own sharp; the description runs in worker-jobs.
    const upload = await api.call('POST', '/api/images', {
      token,
      form: formOf(
        { describe: 'false' },
        { image: { bytes: await solidImage(64, 48), type: 'image/png', name: 'a.png' } },
      ),
    });
    expect(upload.status).toBe(202);
    // api-edits prepares the source with its sharp and queues the edit.
    const edit = await api.call('POST', '/api/edits', {
      token,
      body: { imageId, prompt: 'add a small red boat' },
    });
    expect(edit.status).toBe(202);
    expect((await api.waitForJob(edit.json.jobId, token, 240_000)).status).toBe('SUCCEEDED');
  });

  it('loads every function of the template, the queue workers included', async () => {
    // The workers not reached above get an empty batch: their cold start is what is under test.
    for (const name of ['worker-uploads', 'worker-dead-letters', 'worker-accounts']) {
      if (!loaded.has(name))
        expect(await stack.invoke(name, { Records: [] })).toEqual({ batchItemFailures: [] });
    }
    expect([...loaded].sort()).toEqual(Object.keys(functionConfig).sort());
    console.info(
      `artefacts: ${loaded.size}/${Object.keys(functionConfig).length} function bundles of ${assemblyDirectory} ran on arm64 Node 22 under qemu-user`,
    );
  });
});
