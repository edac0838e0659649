import { Decider, DomainEvent, assertNever } from '../../shared/decider';
import { conflict, notFound, refused } from '../../shared/domain-error';
import { Role } from '../../shared/roles';

/**
 * A bearer token. Only a hash of its secret is recorded; the secret is shown once to the caller.
 * The decision to issue one is taken against the user's state, passed in by the caller.
 */
export type TokenEvent =
  | DomainEvent<'TokenIssued', { tokenId: string; userId: string; projectId: string; role: Role; secretHash: string; expiresAt: string; at: string }>
  | DomainEvent<'TokenRevoked', { tokenId: string; userId: string; at: string }>;

export type TokenCommand =
  | {
      type: 'IssueToken';
      tokenId: string;
      userId: string;
      projectId: string;
      /** The user's role in the project at issue time, or null when the user has none there. */
      role: Role | null;
      userActive: boolean;
      secretHash: string;
      /** ISO instant, computed by the caller from its clock and the configured lifetime. */
      expiresAt: string;
      now: string;
    }
  | { type: 'RevokeToken'; now: string };

export type TokenState =
  { status: 'absent' } | { status: 'valid' | 'revoked'; tokenId: string; userId: string; projectId: string; role: Role; secretHash: string; expiresAt: string };

export const tokenStream = (tokenId: string) => `token-${tokenId}`;

export const tokenDecider: Decider<TokenState, TokenCommand, TokenEvent> = {
  initialState: () => ({ status: 'absent' }),

  decide(command, state) {
    switch (command.type) {
      case 'IssueToken': {
        if (state.status !== 'absent') throw conflict('TokenExists', 'Token already issued');
        // Same refusal whatever the cause, so that callers cannot probe which users exist.
        if (!command.userActive || command.role === null) throw refused('Unauthenticated', 'Invalid credentials');
        if (command.expiresAt <= command.now) throw conflict('InvalidTokenLifetime', 'A token must expire after it is issued');
        const { tokenId, userId, projectId, role, secretHash, expiresAt, now } = command;
        return [{ type: 'TokenIssued', data: { tokenId, userId, projectId, role, secretHash, expiresAt, at: now } }];
      }
      case 'RevokeToken':
        if (state.status === 'absent') throw notFound('TokenNotFound', 'Token not found');
        if (state.status === 'revoked') return [];
        return [{ type: 'TokenRevoked', data: { tokenId: state.tokenId, userId: state.userId, at: command.now } }];
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'TokenIssued':
        return { status: 'valid', ...event.data };
      case 'TokenRevoked':
        return state.status === 'absent' ? state : { ...state, status: 'revoked' };
      default:
        return assertNever(event);
    }
  },
};
