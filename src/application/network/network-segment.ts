import { networkDecider, networkStream } from '../../domain/network/network/network.decider';
import { CommandExecutor } from '../shared/command-executor';
import { NetworkView } from './ports/network-read-model.port';

/** What a switch needs of a network to put a port on it. */
export type NetworkSegment = Pick<NetworkView, 'id' | 'cidr' | 'gateway' | 'vlan'>;

/**
 * A live network's segment, from its own stream: CIDR, gateway and VLAN never change, and the
 * stream (hot with address allocations) is nearly always cached, so this costs no query. Null
 * when the network does not exist or was deleted.
 */
export async function segmentOf(executor: CommandExecutor, networkId: string): Promise<NetworkSegment | null> {
  const { state } = await executor.load(networkDecider, networkStream(networkId), { cached: true });
  return state.status === 'active' ? { id: state.networkId, cidr: state.cidr, gateway: state.gateway, vlan: state.vlan } : null;
}
