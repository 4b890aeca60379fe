import { describe, expect, it, vi } from 'vitest';
import { createSessionGuard } from '../../shared/auth/session-guard.ts';
import {
  endSessions,
  logOut,
  requesterOf,
  resetPassword,
  type SessionDeps,
} from '../../shared/domain/accounts/accounts.ts';
import type { ProfileStore, UserDirectory } from '../../shared/domain/accounts/ports.ts';
import { DomainError, UnauthenticatedError, ValidationError } from '../../shared/errors.ts';
import type { Caller } from '../../shared/http/handler.ts';

/** A clock that only `sleep` moves on, the revocations kept in memory, and Cognito's calls recorded. */
function sessionWorld(startMs: number) {
  let nowMs = startMs;
  const revoked = new Map<string, number>();
  const calls: string[] = [];
  const deps: SessionDeps = {
    clock: { now: () => new Date(nowMs) },
    sleep: async (milliseconds) => {
      nowMs += milliseconds;
    },
    profiles: {
      async revokeSessions(userId, second) {
        calls.push(`revoke ${userId} ${second}`);
        revoked.set(userId, second);
      },
      async session(userId) {
        const revokedBefore = revoked.get(userId);
        return revokedBefore === undefined ? {} : { revokedBefore };
      },
    } as Partial<ProfileStore> as ProfileStore,
    directory: {
      async signOutEverywhere(accessToken) {
        calls.push(`signOutEverywhere ${accessToken}`);
      },
      async signOutUser(email) {
        calls.push(`signOutUser ${email}`);
        return 'user-1';
      },
      async resetPassword(email, code) {
        if (code !== '123456')
          throw new ValidationError('The code is not right.', undefined, 'CODE_MISMATCH');
        calls.push(`resetPassword ${email}`);
      },
    } as Partial<UserDirectory> as UserDirectory,
  };
  const guard = createSessionGuard((userId) => deps.profiles.session(userId));
  // A Cognito access token of the user, stamped as Cognito does: `iat` in whole seconds.
  const tokenAt = (ms: number): Caller => ({
    userId: 'user-1',
    username: 'user-1',
    accessToken: 'access-token',
    tokenIssuedAt: Math.floor(ms / 1000),
  });
  return { deps, calls, guard, tokenAt, now: () => nowMs };
}

const second = 1_795_000_000;

describe('ending every session of a user', () => {
  it('refuses every token issued before it and takes a login made right after, wherever in the second it falls', async () => {
    for (let offset = 0; offset < 1000; offset += 37) {
      const start = second * 1000 + offset;
      const world = sessionWorld(start);
      await endSessions(world.deps, 'user-1');
      for (const before of [start - 5000, start - 1000, start - 1, start]) {
        await expect(world.guard(world.tokenAt(before)), `${offset} ms: token of ${before}`).rejects.toThrow(
          UnauthenticatedError,
        );
      }
      await expect(
        world.guard(world.tokenAt(world.now())),
        `${offset} ms: login after`,
      ).resolves.toMatchObject({ userId: 'user-1' });
    }
  });

  it('waits at most a little over a second before answering', async () => {
    const world = sessionWorld(second * 1000 + 950);
    await endSessions(world.deps, 'user-1');
    expect(world.now() - (second * 1000 + 950)).toBeLessThanOrEqual(1200);
  });

  it('also refuses the caller’s own token when it was stamped later than this clock reads', async () => {
    const world = sessionWorld(second * 1000 + 200);
    await endSessions(world.deps, 'user-1', second + 2);
    await expect(world.guard(world.tokenAt((second + 2) * 1000))).rejects.toThrow(UnauthenticatedError);
    await expect(world.guard(world.tokenAt(world.now()))).resolves.toMatchObject({ userId: 'user-1' });
  });

  it('hands the profile it read to the route, which does not read it again', async () => {
    const profile = {
      userId: 'user-1',
      email: 'ada@example.com',
      displayName: 'Ada',
      createdAt: '2026-11-22T09:00:00.000Z',
      updatedAt: '2026-11-22T09:00:00.000Z',
    };
    const guard = createSessionGuard(async () => ({ revokedBefore: second - 10, profile }));
    const caller = await guard({ userId: 'user-1', username: 'u', accessToken: 't', tokenIssuedAt: second });
    expect(caller.profile).toEqual(profile);
    const get = vi.fn();
    const profiles = { get } as Partial<ProfileStore> as ProfileStore;
    const deps = { profiles, directory: {} as UserDirectory, clock: { now: () => new Date() } };
    expect(await requesterOf(deps, caller)).toEqual({ userId: 'user-1', displayName: 'Ada' });
    expect(get).not.toHaveBeenCalled();
    // With none read (a sign-out before the first profile), the route reads it itself.
    const bare = await createSessionGuard(async () => ({}))({ ...caller, profile: undefined });
    get.mockResolvedValueOnce(profile);
    expect(await requesterOf(deps, bare)).toEqual({ userId: 'user-1', displayName: 'Ada' });
    expect(get).toHaveBeenCalledTimes(1);
  });

  it('signs out in Cognito before recording the time, so no old session mints a token after it', async () => {
    const world = sessionWorld(second * 1000);
    await logOut(world.deps, { userId: 'user-1', accessToken: 'access-1', tokenIssuedAt: second - 60 });
    expect(world.calls).toEqual(['signOutEverywhere access-1', `revoke user-1 ${second}`]);
  });

  it('still ends the sessions when Cognito had revoked the token already, after a sign-out that stopped half-way', async () => {
    const world = sessionWorld(second * 1000);
    world.deps.directory.signOutEverywhere = async () => {
      throw new UnauthenticatedError('Access Token has been revoked');
    };
    await logOut(world.deps, { userId: 'user-1', accessToken: 'access-1', tokenIssuedAt: second - 60 });
    await expect(world.guard(world.tokenAt(second * 1000 - 60_000))).rejects.toThrow(UnauthenticatedError);
  });

  it('ends nothing when Cognito cannot be reached, so that the sign-out can be tried again', async () => {
    const world = sessionWorld(second * 1000);
    world.deps.directory.signOutEverywhere = async () => {
      throw new Error('Cognito is down');
    };
    await expect(
      logOut(world.deps, { userId: 'user-1', accessToken: 'access-1', tokenIssuedAt: second - 60 }),
    ).rejects.toThrow('Cognito is down');
    expect(world.calls).toEqual([]);
  });
});

describe('a password reset', () => {
  it('ends every session once the code is accepted', async () => {
    const world = sessionWorld(second * 1000 + 400);
    await resetPassword(world.deps, {
      email: 'ada@example.com',
      code: '123456',
      newPassword: 'Battery-Staple-7',
    });
    expect(world.calls).toEqual([
      'resetPassword ada@example.com',
      'signOutUser ada@example.com',
      `revoke user-1 ${second}`,
    ]);
    await expect(world.guard(world.tokenAt(second * 1000))).rejects.toThrow(UnauthenticatedError);
    await expect(world.guard(world.tokenAt(world.now()))).resolves.toMatchObject({ userId: 'user-1' });
  });

  it('signs nobody out with a wrong code', async () => {
    const world = sessionWorld(second * 1000);
    await expect(
      resetPassword(world.deps, {
        email: 'ada@example.com',
        code: '000000',
        newPassword: 'Battery-Staple-7',
      }),
    ).rejects.toThrow(DomainError);
    expect(world.calls).toEqual([]);
  });
});
