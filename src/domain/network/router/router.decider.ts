import { Decider, DomainEvent, assertNever } from '../../shared/decider';
import { conflict, notFound } from '../../shared/domain-error';

/** Where a router has a leg: the port (and its address) on a network, on one subnet of it for an interface. */
export type RouterLeg = { networkId: string; portId: string; ip: string };
export type RouterInterface = RouterLeg & { subnetId: string };

/**
 * A router joins subnets (one interface each, holding the subnet's gateway address) and may have a
 * gateway on an external network (where its floating IPs and outbound traffic are translated).
 * The addresses and ports themselves belong to the networks and ports; the router records its legs.
 */
export type RouterEvent =
  | DomainEvent<'RouterCreated', { routerId: string; projectId: string; name: string; at: string }>
  | DomainEvent<'RouterGatewaySet', { routerId: string; projectId: string; gateway: RouterLeg; at: string }>
  | DomainEvent<'RouterGatewayCleared', { routerId: string; projectId: string; gateway: RouterLeg; at: string }>
  | DomainEvent<'RouterInterfaceAdded', { routerId: string; projectId: string; leg: RouterInterface; at: string }>
  | DomainEvent<'RouterInterfaceRemoved', { routerId: string; projectId: string; leg: RouterInterface; at: string }>
  | DomainEvent<'RouterRenamed', { routerId: string; name: string; at: string }>
  | DomainEvent<'RouterDeleted', { routerId: string; projectId: string; at: string }>
  /** The reconciler found the router on a host other than the books say (a leg or its NAT gone) and put it right. */
  | DomainEvent<'RouterRepaired', { routerId: string; hostId: string; detail: string; at: string }>;

export type RouterCommand =
  | { type: 'CreateRouter'; routerId: string; projectId: string; name: string; now: string }
  | { type: 'SetGateway'; gateway: RouterLeg; now: string }
  | { type: 'ClearGateway'; now: string }
  | { type: 'AddInterface'; leg: RouterInterface; now: string }
  | { type: 'RemoveInterface'; subnetId: string; now: string }
  | { type: 'RenameRouter'; name: string; now: string }
  | { type: 'DeleteRouter'; now: string }
  | { type: 'RecordRepaired'; hostId: string; detail: string; now: string };

export type LiveRouter = {
  status: 'active';
  routerId: string;
  projectId: string;
  name: string;
  gateway: RouterLeg | null;
  interfaces: readonly RouterInterface[];
};
export type RouterState = { status: 'absent' | 'deleted' } | LiveRouter;

export const routerStream = (routerId: string) => `router-${routerId}`;

export const routerDecider: Decider<RouterState, RouterCommand, RouterEvent> = {
  initialState: () => ({ status: 'absent' }),

  decide(command, state) {
    if (command.type === 'CreateRouter') {
      if (state.status !== 'absent') throw conflict('RouterExists', `Router ${command.routerId} already exists`);
      const { routerId, projectId, name, now } = command;
      return [{ type: 'RouterCreated', data: { routerId, projectId, name, at: now } }];
    }
    if (state.status !== 'active') throw notFound('RouterNotFound', 'Router not found');
    const { routerId, projectId } = state;
    switch (command.type) {
      case 'SetGateway': {
        if (state.gateway?.portId === command.gateway.portId) return [];
        if (state.gateway) throw conflict('RouterHasGateway', `The router's gateway is on ${state.gateway.networkId}; clear it first`);
        return [{ type: 'RouterGatewaySet', data: { routerId, projectId, gateway: command.gateway, at: command.now } }];
      }
      case 'ClearGateway':
        return state.gateway ? [{ type: 'RouterGatewayCleared', data: { routerId, projectId, gateway: state.gateway, at: command.now } }] : [];
      case 'AddInterface': {
        const same = state.interfaces.find((i) => i.subnetId === command.leg.subnetId);
        if (same?.portId === command.leg.portId) return [];
        if (same) throw conflict('SubnetAlreadyOnRouter', `The router already has an interface on subnet ${command.leg.subnetId}`);
        return [{ type: 'RouterInterfaceAdded', data: { routerId, projectId, leg: command.leg, at: command.now } }];
      }
      case 'RemoveInterface': {
        const leg = state.interfaces.find((i) => i.subnetId === command.subnetId);
        if (!leg) return [];
        return [{ type: 'RouterInterfaceRemoved', data: { routerId, projectId, leg, at: command.now } }];
      }
      case 'RenameRouter':
        return command.name === state.name ? [] : [{ type: 'RouterRenamed', data: { routerId, name: command.name, at: command.now } }];
      case 'RecordRepaired':
        return [{ type: 'RouterRepaired', data: { routerId, hostId: command.hostId, detail: command.detail, at: command.now } }];
      case 'DeleteRouter':
        if (state.interfaces.length > 0) throw conflict('RouterInUse', `The router still has ${state.interfaces.length} interface(s); remove them first`);
        return [
          ...(state.gateway ? [{ type: 'RouterGatewayCleared' as const, data: { routerId, projectId, gateway: state.gateway, at: command.now } }] : []),
          { type: 'RouterDeleted', data: { routerId, projectId, at: command.now } },
        ];
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'RouterCreated': {
        const { routerId, projectId, name } = event.data;
        return { status: 'active', routerId, projectId, name, gateway: null, interfaces: [] };
      }
      case 'RouterGatewaySet':
        return state.status === 'active' ? { ...state, gateway: event.data.gateway } : state;
      case 'RouterGatewayCleared':
        return state.status === 'active' ? { ...state, gateway: null } : state;
      case 'RouterInterfaceAdded':
        return state.status === 'active' ? { ...state, interfaces: [...state.interfaces, event.data.leg] } : state;
      case 'RouterInterfaceRemoved':
        return state.status === 'active' ? { ...state, interfaces: state.interfaces.filter((i) => i.subnetId !== event.data.leg.subnetId) } : state;
      case 'RouterRenamed':
        return state.status === 'active' ? { ...state, name: event.data.name } : state;
      case 'RouterDeleted':
        return { status: 'deleted' };
      case 'RouterRepaired':
        return state;
      default:
        return assertNever(event);
    }
  },
};
