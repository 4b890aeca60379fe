import { describe, expect, it } from 'vitest';
import {
  AccountDeletionWaiting,
  type AccountItems,
  type CloseAccountDeps,
  closeAccount,
  type OwnedJob,
} from '../../shared/domain/accounts/close-account.ts';

/** An account's items in memory: its jobs by status; every call is written down. */
function fakeDeps(jobs: OwnedJob[]) {
  const calls: string[] = [];
  const accounts: AccountItems = {
    imagesToRemove: async () => [],
    imageRemoved: async () => undefined,
    authoredComments: async () => [],
    removeAuthoredComment: async () => undefined,
    likedImages: async () => [],
    removeLike: async () => undefined,
    jobs: async (_userId, limit, status) =>
      jobs.filter((job) => !status || job.status === status).slice(0, limit),
    removeJob: async (job) => {
      calls.push(`removeJob ${job.jobId}`);
      jobs.splice(jobs.indexOf(job), 1);
    },
    sweep: async () => {
      calls.push('sweep');
    },
    closeProfile: async () => {
      calls.push('closeProfile');
    },
  };
  const deps = {
    accounts,
    profiles: { revokeSessions: async () => calls.push('revokeSessions') },
    characters: { listByOwner: async () => ({ items: [] }) },
    directory: {
      disable: async () => calls.push('disable'),
      remove: async () => calls.push('remove'),
    },
    storage: { delete: async (keys: string[]) => calls.push(`delete ${keys.join(' ')}`) },
    clock: { now: () => new Date('2026-11-30T00:00:00Z') },
  } as unknown as CloseAccountDeps;
  return { deps, calls };
}

const deletion = { type: 'deleteAccount', userId: 'U1', username: 'u1' } as const;

describe('closing an account', () => {
  it('removes queued work, then waits for running work before it deletes anything else', async () => {
    const { deps, calls } = fakeDeps([
      { jobId: 'J1', status: 'QUEUED', inputKeys: [] },
      { jobId: 'J2', status: 'RUNNING', inputKeys: [] },
    ]);
    await expect(closeAccount(deps, deletion)).rejects.toBeInstanceOf(AccountDeletionWaiting);
    expect(calls).toEqual(['revokeSessions', 'disable', 'removeJob J1']);
  });

  it('deletes finished jobs with their edit inputs, and the Cognito user last', async () => {
    const { deps, calls } = fakeDeps([
      { jobId: 'J3', status: 'SUCCEEDED', inputKeys: ['jobs/J3/source.png', 'jobs/J3/mask.png'] },
    ]);
    await closeAccount(deps, deletion);
    expect(calls).toEqual([
      'revokeSessions',
      'disable',
      'delete jobs/J3/source.png jobs/J3/mask.png',
      'removeJob J3',
      'sweep',
      'closeProfile',
      'remove',
    ]);
  });
});
