import { Decider, DomainEvent, assertNever } from '../../shared/decider';
import { conflict, notFound } from '../../shared/domain-error';

/**
 * An access key for signed (SigV4) requests. SigV4 needs the secret itself on the verifying side,
 * so the event carries it encrypted (the application encrypts it before it reaches the domain).
 */
export type AccessKeyEvent =
  | DomainEvent<'AccessKeyCreated', { accessKeyId: string; userId: string; projectId: string; secretCiphertext: string; at: string }>
  | DomainEvent<'AccessKeyDeleted', { accessKeyId: string; userId: string; projectId: string; at: string }>;

export type AccessKeyCommand =
  | { type: 'CreateAccessKey'; accessKeyId: string; userId: string; projectId: string; secretCiphertext: string; now: string }
  | { type: 'DeleteAccessKey'; now: string };

export type AccessKeyState =
  { status: 'absent' } | { status: 'active' | 'deleted'; accessKeyId: string; userId: string; projectId: string; secretCiphertext: string };

export const accessKeyStream = (accessKeyId: string) => `access-key-${accessKeyId}`;

export const accessKeyDecider: Decider<AccessKeyState, AccessKeyCommand, AccessKeyEvent> = {
  initialState: () => ({ status: 'absent' }),

  decide(command, state) {
    switch (command.type) {
      case 'CreateAccessKey': {
        if (state.status !== 'absent') throw conflict('AccessKeyExists', 'Access key already exists');
        const { accessKeyId, userId, projectId, secretCiphertext, now } = command;
        return [{ type: 'AccessKeyCreated', data: { accessKeyId, userId, projectId, secretCiphertext, at: now } }];
      }
      case 'DeleteAccessKey':
        if (state.status !== 'active') throw notFound('AccessKeyNotFound', 'Access key not found');
        return [{ type: 'AccessKeyDeleted', data: { accessKeyId: state.accessKeyId, userId: state.userId, projectId: state.projectId, at: command.now } }];
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'AccessKeyCreated':
        return { status: 'active', ...event.data };
      case 'AccessKeyDeleted':
        return state.status === 'absent' ? state : { ...state, status: 'deleted' };
      default:
        return assertNever(event);
    }
  },
};
