import { Decider, DomainEvent, assertNever } from './decider';
import { conflict } from './domain-error';

/**
 * A claim on a unique key (a project name, a user name). One stream per key; appending the claim
 * with optimistic concurrency makes uniqueness hold under concurrent requests without a read model.
 */
export type ClaimEvent = DomainEvent<'KeyClaimed', { key: string; ownerId: string }> | DomainEvent<'KeyReleased', { key: string; ownerId: string }>;

export type ClaimCommand = { type: 'Claim'; key: string; ownerId: string } | { type: 'Release'; key: string; ownerId: string };

export type ClaimState = { ownerId: string | null };

export const claimDecider: Decider<ClaimState, ClaimCommand, ClaimEvent> = {
  initialState: () => ({ ownerId: null }),
  decide(command, state) {
    switch (command.type) {
      case 'Claim':
        if (state.ownerId === command.ownerId) return [];
        if (state.ownerId !== null) throw conflict('NameTaken', `The name "${command.key}" is already in use`);
        return [{ type: 'KeyClaimed', data: { key: command.key, ownerId: command.ownerId } }];
      case 'Release':
        if (state.ownerId !== command.ownerId) return [];
        return [{ type: 'KeyReleased', data: { key: command.key, ownerId: command.ownerId } }];
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'KeyClaimed':
        return { ownerId: event.data.ownerId };
      case 'KeyReleased':
        return { ownerId: null };
      default:
        return state;
    }
  },
};
