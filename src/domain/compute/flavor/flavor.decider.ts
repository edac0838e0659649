import { Decider, DomainEvent, assertNever } from '../../shared/decider';
import { conflict, invalid, notFound } from '../../shared/domain-error';

export type FlavorSpecData = { vcpus: number; ramMiB: number; diskGiB: number };

export type FlavorEvent =
  | DomainEvent<'FlavorCreated', { flavorId: string; name: string; vcpus: number; ramMiB: number; diskGiB: number; at: string }>
  | DomainEvent<'FlavorDeleted', { flavorId: string; name: string; at: string }>;

export type FlavorCommand = ({ type: 'CreateFlavor'; flavorId: string; name: string; now: string } & FlavorSpecData) | { type: 'DeleteFlavor'; now: string };

export type FlavorState = { status: 'absent' } | ({ status: 'active' | 'deleted'; flavorId: string; name: string } & FlavorSpecData);

export const flavorStream = (flavorId: string) => `flavor-${flavorId}`;

/** Limits of one flavor: generous, but a typo of three zeros is refused. */
export const FLAVOR_LIMITS: FlavorSpecData = { vcpus: 256, ramMiB: 4 * 1024 * 1024, diskGiB: 65_536 };

export const flavorDecider: Decider<FlavorState, FlavorCommand, FlavorEvent> = {
  initialState: () => ({ status: 'absent' }),
  decide(command, state) {
    switch (command.type) {
      case 'CreateFlavor': {
        if (state.status !== 'absent') throw conflict('FlavorExists', `Flavor ${command.flavorId} already exists`);
        const min = { vcpus: 1, ramMiB: 64, diskGiB: 0 };
        const bad = (['vcpus', 'ramMiB', 'diskGiB'] as const).filter(
          (k) => !Number.isInteger(command[k]) || command[k] < min[k] || command[k] > FLAVOR_LIMITS[k],
        );
        if (bad.length > 0) {
          throw invalid(
            'InvalidFlavor',
            'Invalid flavor',
            bad.map((k) => ({ field: k, message: `must be an integer from ${min[k]} to ${FLAVOR_LIMITS[k]}` })),
          );
        }
        const { flavorId, name, vcpus, ramMiB, diskGiB, now } = command;
        return [{ type: 'FlavorCreated', data: { flavorId, name, vcpus, ramMiB, diskGiB, at: now } }];
      }
      case 'DeleteFlavor':
        if (state.status !== 'active') throw notFound('FlavorNotFound', 'Flavor not found');
        // Instances keep a copy of their flavor's numbers, so deleting a flavor in use is harmless (as in Nova).
        return [{ type: 'FlavorDeleted', data: { flavorId: state.flavorId, name: state.name, at: command.now } }];
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'FlavorCreated': {
        const { flavorId, name, vcpus, ramMiB, diskGiB } = event.data;
        return { status: 'active', flavorId, name, vcpus, ramMiB, diskGiB };
      }
      case 'FlavorDeleted':
        return state.status === 'absent' ? state : { ...state, status: 'deleted' };
      default:
        return assertNever(event);
    }
  },
};
