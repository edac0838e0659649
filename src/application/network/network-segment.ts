import { LiveNetwork, addressHolder, networkDecider, networkStream, subnetOfAddress } from '../../domain/network/network/network.decider';
import { Subnet } from '../../domain/network/network/subnet';
import { CommandExecutor } from '../shared/command-executor';

/**
 * What a switch needs of a network to put a port on it: the VLAN, and the address the host side
 * answers on (its first subnet's gateway, unless a router's interface holds that address: then
 * the router answers on it). A port on another subnet of the network gets its own subnet's prefix
 * and gateway in the guest (see addressingOf).
 */
export type NetworkSegment = { id: string; vlan: number; cidr: string; gateway: string | null };

/**
 * A live network from its own stream: its VLAN and subnets change rarely and the stream (hot
 * with address allocations) is nearly always cached, so this costs no query. Null when the
 * network does not exist or was deleted.
 */
async function liveNetwork(executor: CommandExecutor, networkId: string): Promise<LiveNetwork | null> {
  const { state } = await executor.load(networkDecider, networkStream(networkId), { cached: true });
  return state.status === 'active' ? state : null;
}

const segment = (network: LiveNetwork, first: Subnet): NetworkSegment => ({
  id: network.networkId,
  vlan: network.vlan,
  cidr: first.cidr,
  gateway: first.gateway !== null && addressHolder(network, first.gateway) === undefined ? first.gateway : null,
});

/** The network's segment; null when it is gone or has no subnet (then it can hold no port). */
export async function segmentOf(executor: CommandExecutor, networkId: string): Promise<NetworkSegment | null> {
  const network = await liveNetwork(executor, networkId);
  const first = network?.subnets[0];
  return network && first ? segment(network, first) : null;
}

/** The prefix and gateway of the subnet an address is on, with the network's segment. */
export async function addressingOf(
  executor: CommandExecutor,
  networkId: string,
  ip: string,
): Promise<{ segment: NetworkSegment; prefix: number; gateway: string | null } | null> {
  const network = await liveNetwork(executor, networkId);
  const subnet = network ? subnetOfAddress(network, ip) : undefined;
  const first = network?.subnets[0];
  if (!network || !subnet || !first) return null;
  return {
    segment: segment(network, first),
    prefix: Number(subnet.cidr.split('/')[1]),
    gateway: subnet.gateway,
  };
}
