import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { LibvirtHypervisor } from '../../src/infrastructure/hypervisor/libvirt/libvirt-hypervisor';
import { domainName, tapName } from '../../src/infrastructure/libvirt/names';
import { PoolBlockStorage } from '../../src/infrastructure/storage/libvirt-pool/pool-block-storage';
import { OvsSwitch } from '../../src/infrastructure/switch/ovs/ovs-switch';
import { GUEST_IMAGE_DIR } from '../support/guest-image';
import { describeWithVirt } from '../support/services';
import { blockStorageDriverContract } from './block-storage-driver.contract';
import { domainSpec, hypervisorDriverContract } from './hypervisor-driver.contract';
import { switchDriverContract } from './switch-driver.contract';

const URI = 'qemu:///system';
const tag = () => randomBytes(4).toString('hex');
const virsh = (...args: string[]) => execFileSync('virsh', ['-c', URI, ...args], { stdio: 'pipe' }).toString();

/** Removes every domain a suite defined (by the instance ids it used), whatever state a failed test left. */
function sweepDomains(prefix: string): void {
  for (const name of virsh('list', '--all', '--name')
    .split('\n')
    .map((l) => l.trim())) {
    if (!name.startsWith(domainName(prefix))) continue;
    for (const args of [
      ['destroy', name],
      ['undefine', name],
    ]) {
      try {
        virsh(...args);
      } catch {
        // already off, or gone
      }
    }
  }
}

describeWithVirt('HypervisorDriver contract: libvirt (real QEMU guests)', () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-libvirt-'));
  afterAll(() => {
    sweepDomains('00000000-0000-4000-8000-'); // the contract's instance ids
    fs.rmSync(stateDir, { recursive: true, force: true });
  });
  hypervisorDriverContract(
    async () => {
      const driver = new LibvirtHypervisor({ uri: URI, stateDir, volumeDir: stateDir, domainType: 'qemu' });
      return { driver, close: async () => driver.close() };
    },
    {
      bootTimeoutMs: 90_000,
      spec: (id) => ({ ...domainSpec(id), imageSource: GUEST_IMAGE_DIR }),
      // The guest's ready marker is on its serial console.
      consoleAfterBoot: (id) => new RegExp(`ORCH-READY id=${id}`),
    },
  );
});

describeWithVirt('SwitchDriver contract: Open vSwitch', () => {
  switchDriverContract(async () => {
    const bridge = `brt${tag()}`;
    const driver = new OvsSwitch({ bridge });
    const taps: string[] = [];
    return {
      driver,
      // A guest's NIC as QEMU would make it: a tap device, up.
      nic: async (portId) => {
        const tap = tapName(portId);
        taps.push(tap);
        execFileSync('ip', ['tuntap', 'add', 'dev', tap, 'mode', 'tap']);
        execFileSync('ip', ['link', 'set', tap, 'up']);
      },
      close: async () => {
        execFileSync('ovs-vsctl', ['--if-exists', 'del-br', bridge]);
        for (const tap of taps) execFileSync('ip', ['link', 'delete', tap], { stdio: 'ignore' });
        for (const ns of ['orch-gw101', 'orch-rtr-c1']) {
          try {
            execFileSync('ip', ['netns', 'delete', ns], { stdio: 'ignore' });
          } catch {
            // removed by the test
          }
        }
      },
    };
  });
});

describeWithVirt('BlockStorageDriver contract: libvirt directory pool', () => {
  blockStorageDriverContract(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-pool-'));
    const pool = `orch-test-${tag()}`;
    const prefix = `bs${tag()}`;
    const hv = new LibvirtHypervisor({ uri: URI, stateDir: dir, volumeDir: dir, domainType: 'qemu' });
    const driver = new PoolBlockStorage({ uri: URI, dir, pool });
    const guests: string[] = [];
    return {
      driver,
      // A defined (not started) guest: volumes attach to its configuration.
      guest: async (instanceId) => {
        guests.push(instanceId);
        await hv.define({ ...domainSpec(instanceId), imageSource: GUEST_IMAGE_DIR });
      },
      close: async () => {
        for (const id of guests) await hv.undefine(id);
        sweepDomains(prefix);
        for (const args of [
          ['pool-destroy', pool],
          ['pool-undefine', pool],
        ]) {
          try {
            virsh(...args);
          } catch {
            // not there
          }
        }
        hv.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  });
});
