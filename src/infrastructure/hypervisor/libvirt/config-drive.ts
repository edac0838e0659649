import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { DomainSpec } from '../../../application/compute/ports/hypervisor-driver.port';
import { runCommand } from '../../system/run-command';
import { tapName } from '../../libvirt/names';

const netmaskOf = (prefix: number) => [24, 16, 8, 0].map((shift) => ((0xffffffff << (32 - prefix)) >>> shift) & 0xff).join('.');

/** The config drive's files, OpenStack layout (openstack/latest/…), one JSON key per line. */
export function configDriveFiles(spec: DomainSpec): Record<string, string> {
  const meta = {
    uuid: spec.instanceId,
    name: spec.hostname,
    hostname: spec.hostname,
    launch_index: 0,
    ...(spec.sshPublicKey ? { public_keys: { default: spec.sshPublicKey } } : {}),
  };
  const network = {
    links: spec.nics.map((n) => ({ id: tapName(n.portId), type: 'phy', ethernet_mac_address: n.mac, mtu: 1500 })),
    networks: spec.nics.map((n, i) => ({
      id: `network${i}`,
      type: 'ipv4',
      link: tapName(n.portId),
      ip_address: n.ip,
      netmask: netmaskOf(n.prefix),
      routes: i === 0 && n.gateway !== null ? [{ network: '0.0.0.0', netmask: '0.0.0.0', gateway: n.gateway }] : [],
    })),
    services: [],
  };
  return {
    'openstack/latest/meta_data.json': JSON.stringify(meta, null, 2),
    'openstack/latest/network_data.json': JSON.stringify(network, null, 2),
    ...(spec.userData !== null ? { 'openstack/latest/user_data': spec.userData } : {}),
  };
}

/** Writes the config drive ISO (labelled config-2) to `target`, through a scratch directory beside it. */
export async function writeConfigDrive(spec: DomainSpec, target: string): Promise<void> {
  const scratch = `${target}.d`;
  await fs.rm(scratch, { recursive: true, force: true });
  for (const [file, content] of Object.entries(configDriveFiles(spec))) {
    await fs.mkdir(path.dirname(path.join(scratch, file)), { recursive: true });
    await fs.writeFile(path.join(scratch, file), content);
  }
  await runCommand('genisoimage', ['-quiet', '-o', `${target}.tmp`, '-V', 'config-2', '-r', '-J', scratch]);
  await fs.rename(`${target}.tmp`, target);
  await fs.rm(scratch, { recursive: true, force: true });
}
