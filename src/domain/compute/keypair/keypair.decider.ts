import { Decider, DomainEvent, assertNever } from '../../shared/decider';
import { conflict, notFound } from '../../shared/domain-error';

/** An SSH public key, named within its project (the name is what instances refer to). */
export type KeyPairEvent =
  | DomainEvent<'KeyPairImported', { keyPairId: string; projectId: string; name: string; publicKey: string; fingerprint: string; at: string }>
  | DomainEvent<'KeyPairDeleted', { keyPairId: string; projectId: string; name: string; at: string }>;

export type KeyPairCommand =
  | { type: 'ImportKeyPair'; keyPairId: string; projectId: string; name: string; publicKey: string; fingerprint: string; now: string }
  | { type: 'DeleteKeyPair'; now: string };

export type KeyPairState = { status: 'absent' } | { status: 'active' | 'deleted'; keyPairId: string; projectId: string; name: string };

export const keyPairStream = (keyPairId: string) => `keypair-${keyPairId}`;

export const keyPairDecider: Decider<KeyPairState, KeyPairCommand, KeyPairEvent> = {
  initialState: () => ({ status: 'absent' }),
  decide(command, state) {
    switch (command.type) {
      case 'ImportKeyPair': {
        if (state.status !== 'absent') throw conflict('KeyPairExists', 'Key pair already exists');
        const { keyPairId, projectId, name, publicKey, fingerprint, now } = command;
        return [{ type: 'KeyPairImported', data: { keyPairId, projectId, name, publicKey, fingerprint, at: now } }];
      }
      case 'DeleteKeyPair':
        if (state.status !== 'active') throw notFound('KeyPairNotFound', 'Key pair not found');
        return [{ type: 'KeyPairDeleted', data: { keyPairId: state.keyPairId, projectId: state.projectId, name: state.name, at: command.now } }];
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'KeyPairImported': {
        const { keyPairId, projectId, name } = event.data;
        return { status: 'active', keyPairId, projectId, name };
      }
      case 'KeyPairDeleted':
        return state.status === 'absent' ? state : { ...state, status: 'deleted' };
      default:
        return assertNever(event);
    }
  },
};
