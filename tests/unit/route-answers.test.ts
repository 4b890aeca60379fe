import { describe, expect, it } from 'vitest';
import { accepted, created, noContent, ok } from '../../shared/http/response.ts';
import { bind } from '../../shared/http/router.ts';
import { routes as generations } from '../../shared/http/routes/api-generations.ts';
import { routes as images } from '../../shared/http/routes/api-images.ts';

/*
 * `npm run typecheck` checks each `@ts-expect-error` below: a route's implementation that
 * answers a body its schema does not take, or a status it does not declare, does not compile.
 */
const job = {
  jobId: 'j1',
  type: 'generation' as const,
  status: 'QUEUED' as const,
  createdAt: '2026-11-30T00:00:00.000Z',
  updatedAt: '2026-11-30T00:00:00.000Z',
  imageIds: [],
};

describe('bind', () => {
  it('takes an answer of the shape and status the route declares', async () => {
    const bound = bind(generations.getJob, async () => ok(job));
    expect(bound.route).toBe(generations.getJob);
    expect(await bound.implementation({} as never)).toEqual({
      statusCode: 200,
      body: job,
      headers: undefined,
    });
  });

  it('refuses, at compile time, a body that is not the schema’s', () => {
    const bound = [
      // @ts-expect-error a job answers with its status and dates too
      bind(generations.getJob, async () => ok({ jobId: 'j1' })),
      // @ts-expect-error a job's status is one of its statuses
      bind(generations.getJob, async () => ok({ ...job, status: 'LOST' })),
      // @ts-expect-error an image is not a job
      bind(images.getImage, async () => ok(job)),
    ];
    expect(bound.map((entry) => entry.route.operationId)).toEqual(['getJob', 'getJob', 'getImage']);
  });

  it('refuses, at compile time, a status the route does not declare', () => {
    const bound = [
      // @ts-expect-error getJob declares no 204
      bind(generations.getJob, async () => noContent()),
      // @ts-expect-error getJob declares no 202
      bind(generations.getJob, async () => accepted(job)),
      // @ts-expect-error deleting an image answers 204, not 201
      bind(images.deleteImage, async () => created(job)),
    ];
    expect(bound.map((entry) => entry.route.operationId)).toEqual(['getJob', 'getJob', 'deleteImage']);
  });

  it('takes a 204 where the route declares one', () => {
    expect(bind(images.deleteImage, async () => noContent()).route).toBe(images.deleteImage);
  });
});
