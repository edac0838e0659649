import { domainName } from '../../src/infrastructure/libvirt/names';
import { succeeds } from './shell';

const URI = 'qemu:///system';

/** What a real-infrastructure test made on this machine, to be taken away after it whatever happened. */
export type VirtLeftovers = { instanceIds: readonly string[]; bridge: string; namespaces: readonly string[]; pool: string };

/** Destroys and undefines the instances' domains, removes the bridge, the namespaces and the volume pool (each step ignoring what is already gone). */
export function removeVirtLeftovers({ instanceIds, bridge, namespaces, pool }: VirtLeftovers): void {
  for (const id of instanceIds) {
    succeeds('virsh', '-c', URI, 'destroy', domainName(id));
    succeeds('virsh', '-c', URI, 'undefine', domainName(id));
  }
  succeeds('ovs-vsctl', '--if-exists', 'del-br', bridge);
  for (const ns of namespaces) succeeds('ip', 'netns', 'delete', ns);
  succeeds('virsh', '-c', URI, 'pool-destroy', pool);
  succeeds('virsh', '-c', URI, 'pool-undefine', pool);
}
