import { Decider, DomainEvent, assertNever } from '../../shared/decider';
import { conflict } from '../../shared/domain-error';

/** A public address from the cloud's pool, held by a project, mapped (1:1 NAT) to one instance's port at a time. */
export type FloatingIpEvent =
  | DomainEvent<'FloatingIpAllocated', { floatingIpId: string; projectId: string; address: string; at: string }>
  | DomainEvent<'FloatingIpAssociated', { floatingIpId: string; address: string; instanceId: string; portId: string; fixedIp: string; at: string }>
  | DomainEvent<'FloatingIpDisassociated', { floatingIpId: string; address: string; instanceId: string; portId: string; at: string }>
  | DomainEvent<'FloatingIpReleased', { floatingIpId: string; projectId: string; address: string; at: string }>;

export type FloatingIpCommand =
  | { type: 'AllocateFloatingIp'; floatingIpId: string; projectId: string; address: string; now: string }
  | { type: 'Associate'; instanceId: string; portId: string; fixedIp: string; now: string }
  | { type: 'Disassociate'; now: string }
  | { type: 'ReleaseFloatingIp'; now: string };

export type FloatingIpState =
  | { status: 'absent' | 'released' }
  | {
      status: 'allocated';
      floatingIpId: string;
      projectId: string;
      address: string;
      association: { instanceId: string; portId: string; fixedIp: string } | null;
    };

export const floatingIpStream = (floatingIpId: string) => `floating-ip-${floatingIpId}`;

type Allocated = Extract<FloatingIpState, { status: 'allocated' }>;
const isAllocated = (s: FloatingIpState): s is Allocated => s.status === 'allocated';
const NOT_FOUND = () => conflict('FloatingIpNotFound', 'Floating IP not found');

function disassociation(state: Allocated, now: string): FloatingIpEvent[] {
  if (!state.association) return [];
  const { instanceId, portId } = state.association;
  return [{ type: 'FloatingIpDisassociated', data: { floatingIpId: state.floatingIpId, address: state.address, instanceId, portId, at: now } }];
}

export const floatingIpDecider: Decider<FloatingIpState, FloatingIpCommand, FloatingIpEvent> = {
  initialState: () => ({ status: 'absent' }),
  decide(command, state) {
    switch (command.type) {
      case 'AllocateFloatingIp': {
        if (state.status !== 'absent') throw conflict('FloatingIpExists', 'Floating IP already exists');
        const { floatingIpId, projectId, address, now } = command;
        return [{ type: 'FloatingIpAllocated', data: { floatingIpId, projectId, address, at: now } }];
      }
      case 'Associate': {
        if (!isAllocated(state)) throw NOT_FOUND();
        const { instanceId, portId, fixedIp, now } = command;
        if (state.association?.portId === portId) return [];
        if (state.association) throw conflict('FloatingIpInUse', `${state.address} is associated with ${state.association.instanceId}; disassociate it first`);
        return [{ type: 'FloatingIpAssociated', data: { floatingIpId: state.floatingIpId, address: state.address, instanceId, portId, fixedIp, at: now } }];
      }
      case 'Disassociate':
        if (!isAllocated(state)) throw NOT_FOUND();
        return disassociation(state, command.now);
      case 'ReleaseFloatingIp':
        if (!isAllocated(state)) return [];
        return [
          ...disassociation(state, command.now),
          { type: 'FloatingIpReleased', data: { floatingIpId: state.floatingIpId, projectId: state.projectId, address: state.address, at: command.now } },
        ];
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'FloatingIpAllocated': {
        const { floatingIpId, projectId, address } = event.data;
        return { status: 'allocated', floatingIpId, projectId, address, association: null };
      }
      case 'FloatingIpAssociated': {
        const { instanceId, portId, fixedIp } = event.data;
        return isAllocated(state) ? { ...state, association: { instanceId, portId, fixedIp } } : state;
      }
      case 'FloatingIpDisassociated':
        return isAllocated(state) ? { ...state, association: null } : state;
      case 'FloatingIpReleased':
        return { status: 'released' };
      default:
        return assertNever(event);
    }
  },
};
