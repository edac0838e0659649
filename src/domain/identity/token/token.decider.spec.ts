import { specFor } from '../../../../test/support/decider-spec';
import { TokenCommand, TokenEvent, tokenDecider } from './token.decider';

const now = '2026-01-01T00:00:00.000Z';
const later = '2026-01-01T01:00:00.000Z';
const issue: TokenCommand = {
  type: 'IssueToken',
  tokenId: 'tok-1',
  userId: 'usr-1',
  projectId: 'prj-1',
  role: 'member',
  userActive: true,
  secretHash: 'digest',
  expiresAt: later,
  now,
};
const issued: TokenEvent = {
  type: 'TokenIssued',
  data: { tokenId: 'tok-1', userId: 'usr-1', projectId: 'prj-1', role: 'member', secretHash: 'digest', expiresAt: later, at: now },
};
const spec = specFor(tokenDecider);

describe('Token decider', () => {
  it('issues a token to an active user with a role in the project', () => spec.given([]).when(issue).then([issued]));
  it('refuses a user without a role there, or a disabled one, with the same code', () => {
    spec
      .given([])
      .when({ ...issue, role: null })
      .thenThrows('Unauthenticated');
    spec
      .given([])
      .when({ ...issue, userActive: false })
      .thenThrows('Unauthenticated');
  });
  it('refuses a token that would expire before it is issued', () =>
    spec
      .given([])
      .when({ ...issue, expiresAt: now })
      .thenThrows('InvalidTokenLifetime'));
  it('revokes once', () => {
    const revoked: TokenEvent = { type: 'TokenRevoked', data: { tokenId: 'tok-1', userId: 'usr-1', at: later } };
    spec.given([issued]).when({ type: 'RevokeToken', now: later }).then([revoked]);
    spec.given([issued, revoked]).when({ type: 'RevokeToken', now: later }).then([]);
    spec.given([]).when({ type: 'RevokeToken', now: later }).thenThrows('TokenNotFound');
  });
});
