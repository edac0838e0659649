import { EventUpcast } from '../../shared/event-upcast';
import { legacySubnetId, subnetLayout } from './subnet';

/**
 * Networks before subnets (schema 1) folded one CIDR and gateway into the network. Read now, such a
 * network is one with a single subnet whose id follows from the network's (see legacySubnetId), and
 * its addresses were allocated on that subnet. The log itself is never rewritten.
 */
type NetworkCreatedV1 = { networkId: string; projectId: string; name: string; cidr: string; gateway: string; vlan: number; at: string };
type IpEventV1 = { networkId: string; ip: string; portId: string; at: string };

const networkCreatedV1: EventUpcast = {
  type: 'NetworkCreated',
  from: 1,
  upcast(data) {
    const { cidr, gateway, ...rest } = data as NetworkCreatedV1;
    const subnet = subnetLayout({ subnetId: legacySubnetId(rest.networkId), cidr, gateway });
    return { ...rest, external: false, shared: false, subnets: [subnet] };
  },
};

const ipEventV1 = (type: 'IpAllocated' | 'IpReleased'): EventUpcast => ({
  type,
  from: 1,
  upcast(data) {
    const event = data as IpEventV1;
    return { ...event, subnetId: legacySubnetId(event.networkId) };
  },
});

export const NETWORK_UPCASTS: readonly EventUpcast[] = [networkCreatedV1, ipEventV1('IpAllocated'), ipEventV1('IpReleased')];
