import { UNTHROTTLED } from '../ports/request-throttle.port';
import { NodeSecrets } from '../../infrastructure/crypto/node-secrets';
import { ALREADY_FRESH } from './ports/identity-freshness.port';
import { Authenticator } from './authenticator';
import { IdentityReadModel, TokenRecord, UserView } from './ports/identity-read-model.port';

const secrets = new NodeSecrets(Buffer.alloc(32, 7));
const user: UserView = { id: 'usr-1', name: 'alice', status: 'active', roles: [{ projectId: 'prj-1', role: 'member' }], createdAt: '', updatedAt: '' };
const secret = 'a-secret-of-enough-length-0123456789';
const token: TokenRecord = {
  id: 'tok-abc',
  userId: 'usr-1',
  projectId: 'prj-1',
  secretHash: secrets.digest(secret),
  expiresAt: '2026-01-01T01:00:00.000Z',
  revoked: false,
};

/** The read model is a plain stand-in here: the unit under test is the checking logic around it. */
function authenticatorAt(now: string, overrides: Partial<{ token: TokenRecord; user: UserView; role: 'member' | null }> = {}) {
  const readModel = {
    getTokenGrant: async (id: string) => {
      if (id !== token.id) return null;
      const u = overrides.user ?? user;
      return { token: overrides.token ?? token, userName: u.name, userStatus: u.status, role: 'role' in overrides ? overrides.role : 'member' };
    },
  } as unknown as IdentityReadModel;
  return new Authenticator(readModel, secrets, { now: () => new Date(now) }, ALREADY_FRESH, UNTHROTTLED);
}

describe('Authenticator', () => {
  it('accepts a valid token before it expires', async () => {
    const principal = await authenticatorAt('2026-01-01T00:59:59.000Z').authenticate(`tok-abc.${secret}`);
    expect(principal).toEqual({ userId: 'usr-1', userName: 'alice', projectId: 'prj-1', role: 'member', tokenId: 'tok-abc' });
  });

  it.each([
    ['an expired token', '2026-01-01T01:00:00.000Z', `tok-abc.${secret}`, {}],
    ['a wrong secret', '2026-01-01T00:00:00.000Z', 'tok-abc.another-secret-of-enough-length', {}],
    ['an unknown token', '2026-01-01T00:00:00.000Z', `tok-def.${secret}`, {}],
    ['a malformed token', '2026-01-01T00:00:00.000Z', 'not-a-token', {}],
    ['a revoked token', '2026-01-01T00:00:00.000Z', `tok-abc.${secret}`, { token: { ...token, revoked: true } }],
    ['a disabled user', '2026-01-01T00:00:00.000Z', `tok-abc.${secret}`, { user: { ...user, status: 'disabled' as const } }],
    ['a user without a role in the project any more', '2026-01-01T00:00:00.000Z', `tok-abc.${secret}`, { role: null }],
  ])('refuses %s', async (_what, now, bearer, overrides) => {
    await expect(authenticatorAt(now, overrides).authenticate(bearer)).rejects.toMatchObject({ kind: 'unauthenticated' });
  });
});
