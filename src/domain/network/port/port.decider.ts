import { Decider, DomainEvent, assertNever } from '../../shared/decider';
import { conflict, invalid } from '../../shared/domain-error';

/** A port: a MAC and an address on a network, owned by an instance (or by nobody, unbound). */
export type PortEvent =
  | DomainEvent<
      'PortCreated',
      {
        portId: string;
        projectId: string;
        networkId: string;
        mac: string;
        ip: string;
        instanceId: string | null;
        securityGroups: string[];
        /** A router's leg (absent on an instance's or an unbound port). */
        router?: PortOfRouter;
        /** Given to ports made on their own (Neutron's `port create`). */
        name?: string;
        at: string;
      }
    >
  | DomainEvent<'PortBound', { portId: string; instanceId: string; hostId: string; at: string }>
  /** A port made on its own, taken by an instance booted on it. */
  | DomainEvent<'PortAttached', { portId: string; instanceId: string; at: string }>
  /** Its instance went: the port stays, with its address, unbound. */
  | DomainEvent<'PortDetached', { portId: string; instanceId: string; at: string }>
  | DomainEvent<'PortDeleted', { portId: string; networkId: string; ip: string; at: string }>
  /** The port's security groups, whole as they now are (a server's group added or removed). */
  | DomainEvent<'PortSecurityGroupsChanged', { portId: string; securityGroups: string[]; at: string }>
  /** The reconciler found the port missing on its switch, or carrying other rules than its groups', and put it right. */
  | DomainEvent<'PortRepaired', { portId: string; hostId: string; repair: PortRepair; detail: string; at: string }>;

export type PortOfRouter = { routerId: string; role: 'interface' | 'gateway' };

export type PortRepair = 'replugged' | 'rules-restored' | 'floating-ip-restored';

export type PortCommand =
  | ({ type: 'CreatePort'; now: string } & Omit<Extract<PortEvent, { type: 'PortCreated' }>['data'], 'at'>)
  | { type: 'BindPort'; instanceId: string; hostId: string; now: string }
  | { type: 'AttachPort'; instanceId: string; now: string }
  | { type: 'DetachPort'; instanceId: string; now: string }
  /** `onlyIfFree`: refused (409 PortInUse) while an instance or a router holds the port. */
  | { type: 'DeletePort'; onlyIfFree?: boolean; now: string }
  | { type: 'ChangeSecurityGroups'; securityGroups: string[]; now: string }
  | { type: 'RecordRepaired'; repair: PortRepair; detail: string; now: string };

export type PortState =
  | { status: 'absent' | 'deleted' }
  | {
      status: 'down' | 'active';
      portId: string;
      networkId: string;
      ip: string;
      mac: string;
      instanceId: string | null;
      router: boolean;
      hostId: string | null;
      securityGroups: readonly string[];
    };

export const portStream = (portId: string) => `port-${portId}`;

type LivePort = Extract<PortState, { status: 'down' | 'active' }>;
const isLive = (s: PortState): s is LivePort => s.status === 'down' || s.status === 'active';
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

export const portDecider: Decider<PortState, PortCommand, PortEvent> = {
  initialState: () => ({ status: 'absent' }),
  decide(command, state) {
    switch (command.type) {
      case 'CreatePort': {
        if (state.status !== 'absent') return []; // created already (a retried saga step)
        if (!MAC.test(command.mac)) throw invalid('InvalidMac', `${command.mac} is not a MAC address`);
        const { type: _type, now, ...data } = command;
        return [{ type: 'PortCreated', data: { ...data, at: now } }];
      }
      case 'BindPort':
        if (!isLive(state)) throw conflict('PortNotFound', 'Port not found');
        if (state.hostId === command.hostId && state.instanceId === command.instanceId) return [];
        return [{ type: 'PortBound', data: { portId: state.portId, instanceId: command.instanceId, hostId: command.hostId, at: command.now } }];
      case 'AttachPort':
        if (!isLive(state)) throw conflict('PortNotFound', 'Port not found');
        if (state.instanceId === command.instanceId) return [];
        if (state.instanceId !== null || state.router) throw conflict('PortInUse', `Port ${state.portId} is in use by ${state.instanceId ?? 'a router'}`);
        return [{ type: 'PortAttached', data: { portId: state.portId, instanceId: command.instanceId, at: command.now } }];
      case 'DetachPort':
        if (!isLive(state) || state.instanceId !== command.instanceId) return [];
        return [{ type: 'PortDetached', data: { portId: state.portId, instanceId: command.instanceId, at: command.now } }];
      case 'RecordRepaired':
        if (!isLive(state) || state.hostId === null) throw conflict('PortNotBound', 'Only a port bound to a host can be repaired');
        return [
          { type: 'PortRepaired', data: { portId: state.portId, hostId: state.hostId, repair: command.repair, detail: command.detail, at: command.now } },
        ];
      case 'ChangeSecurityGroups': {
        if (!isLive(state)) throw conflict('PortNotFound', 'Port not found');
        const groups = [...new Set(command.securityGroups)];
        if (groups.length === state.securityGroups.length && groups.every((g) => state.securityGroups.includes(g))) return [];
        return [{ type: 'PortSecurityGroupsChanged', data: { portId: state.portId, securityGroups: groups, at: command.now } }];
      }
      case 'DeletePort':
        if (!isLive(state)) return [];
        if (command.onlyIfFree && (state.instanceId !== null || state.router)) throw conflict('PortInUse', `Port ${state.portId} is in use`);
        return [{ type: 'PortDeleted', data: { portId: state.portId, networkId: state.networkId, ip: state.ip, at: command.now } }];
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'PortCreated': {
        const { portId, networkId, ip, mac, instanceId, securityGroups, router } = event.data;
        return { status: 'down', portId, networkId, ip, mac, instanceId, hostId: null, securityGroups, router: !!router };
      }
      case 'PortAttached':
        return isLive(state) ? { ...state, instanceId: event.data.instanceId } : state;
      case 'PortDetached': {
        return isLive(state) ? { ...state, status: 'down', instanceId: null, hostId: null } : state;
      }
      case 'PortBound':
        return isLive(state) ? { ...state, status: 'active', instanceId: event.data.instanceId, hostId: event.data.hostId } : state;
      case 'PortDeleted':
        return { status: 'deleted' };
      case 'PortRepaired':
        return state;
      case 'PortSecurityGroupsChanged':
        return isLive(state) ? { ...state, securityGroups: event.data.securityGroups } : state;
      default:
        return assertNever(event);
    }
  },
};
