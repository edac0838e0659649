import { Cidr, broadcast, formatIp, parseCidr } from '../../domain/network/network/ipv4';
import { subnetLayout } from '../../domain/network/network/subnet';
import { refused } from '../../domain/shared/domain-error';
import { CommandContext } from '../shared/command-context';
import { CommandExecutor } from '../shared/command-executor';
import { claimFirstFree, releaseKey } from '../shared/unique-names';
import { addressStream } from './network-claims';
import { NetworkReadModel, NetworkView } from './ports/network-read-model.port';

/**
 * The floating-IP pool (ORCH_FLOATING_IP_POOL) is the cloud's external network `public`: every
 * project sees it, routers take their gateway address from it and floating IPs theirs, each
 * address claimed by one owner (a floating IP or a router's gateway port) in its own stream.
 */
export const POOL_NETWORK_ID = 'net-external';
export const POOL_SUBNET_ID = 'subnet-external';

const poolCidr = (pool: string): Cidr => parseCidr(pool, { minPrefix: 8, maxPrefix: 30, field: 'pool' });

/** The pool as a network: its first host address is its gateway (the upstream's, kept out of every claim). */
export function poolNetwork(pool: string): NetworkView {
  const cidr = poolCidr(pool);
  const subnet = subnetLayout({ subnetId: POOL_SUBNET_ID, name: 'public-subnet', cidr: cidr.text, gateway: formatIp(cidr.network + 1) });
  const createdAt = '1970-01-01T00:00:00.000Z';
  return {
    id: POOL_NETWORK_ID,
    projectId: '',
    name: 'public',
    cidr: subnet.cidr,
    gateway: subnet.gateway,
    vlan: 0,
    external: true,
    shared: false,
    subnets: [{ ...subnet, networkId: POOL_NETWORK_ID, projectId: '', usedIps: 0, createdAt }],
    status: 'active',
    usedIps: 0,
    createdAt,
  };
}

/** The pool's host addresses but the first, lowest first, each with its claim stream. */
function* poolAddresses(pool: Cidr): Generator<{ stream: string; key: string }> {
  for (let ip = pool.network + 2; ip < broadcast(pool); ip++) yield { stream: addressStream(formatIp(ip)), key: formatIp(ip) };
}

/** Claims the lowest free address of the pool for `owner` (422 FloatingIpPoolExhausted when none is left). */
export async function claimPoolAddress(
  executor: CommandExecutor,
  readModel: NetworkReadModel,
  pool: string,
  owner: string,
  ctx: CommandContext,
): Promise<string> {
  const cidr = poolCidr(pool);
  const used = new Set(await readModel.usedFloatingAddresses());
  const claimed = await claimFirstFree(executor, poolAddresses(cidr), used, owner, ctx);
  if (claimed !== null) return claimed;
  throw refused('FloatingIpPoolExhausted', `No free address left in ${cidr.text}`);
}

export const releasePoolAddress = (executor: CommandExecutor, address: string, owner: string, ctx: CommandContext) =>
  releaseKey(executor, addressStream(address), address, owner, ctx);
