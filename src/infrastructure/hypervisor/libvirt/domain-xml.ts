import { DomainSpec } from '../../../application/compute/ports/hypervisor-driver.port';
import { domainName, domainUuid, tapName } from '../../libvirt/names';

/** Where a domain's files are: its disks (root volume, config drive), its kernel boot, its console log. */
export type DomainFiles = {
  /** Direct kernel boot (an image directory with vmlinuz and initrd.img), or null to boot the root disk. */
  kernel: { vmlinuz: string; initrd: string } | null;
  rootDisk: string | null;
  configDrive: string;
  consoleLog: string;
};

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');

/**
 * The libvirt domain of an instance: uuid derived from the instance id, the flavor's memory and
 * vCPUs, direct kernel boot (or disk boot), the root volume as vda, the config drive as a
 * read-only disk, one e1000 NIC per port on a tap that the switch driver plugs into the
 * integration bridge with the port's VLAN, and the serial console appended to a log file.
 */
export function domainXml(spec: DomainSpec, files: DomainFiles, domainType: 'qemu' | 'kvm'): string {
  const first = spec.nics[0];
  const cmdline = [
    'console=ttyS0',
    'quiet',
    'panic=-1',
    // Under TCG on a loaded host the kernel's check of the timer interrupt can fail and hang the
    // boot ("MP-BIOS bug: 8254 timer not connected to IO-APIC"); a virtual machine's timer is sound.
    'no_timer_check',
    `orch.id=${spec.instanceId}`,
    `orch.hostname=${spec.hostname}`,
    ...(first ? [`orch.ip=${first.ip}/${first.prefix}`, `orch.gw=${first.gateway ?? 'none'}`, `orch.mac=${first.mac}`] : []),
  ].join(' ');
  const disks = [
    files.rootDisk
      ? `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${xml(files.rootDisk)}'/><target dev='vda' bus='virtio'/></disk>`
      : '',
    `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${xml(files.configDrive)}'/><target dev='vdz' bus='virtio'/><readonly/></disk>`,
  ];
  const nics = spec.nics.map(
    (n) => `<interface type='ethernet'><mac address='${xml(n.mac)}'/><model type='e1000'/><target dev='${tapName(n.portId)}'/></interface>`,
  );
  const boot = files.kernel
    ? `<kernel>${xml(files.kernel.vmlinuz)}</kernel><initrd>${xml(files.kernel.initrd)}</initrd><cmdline>${xml(cmdline)}</cmdline>`
    : `<boot dev='hd'/>`;
  return `<domain type='${domainType}'>
  <name>${xml(domainName(spec.instanceId))}</name>
  <uuid>${domainUuid(spec.instanceId)}</uuid>
  <title>${xml(spec.hostname)}</title>
  <memory unit='MiB'>${spec.ramMiB}</memory>
  <vcpu>${spec.vcpus}</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type>${boot}</os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    ${[...disks, ...nics].filter(Boolean).join('\n    ')}
    <serial type='file'><source path='${xml(files.consoleLog)}' append='on'/><target port='0'/></serial>
    <console type='file'><source path='${xml(files.consoleLog)}' append='on'/><target type='serial' port='0'/></console>
  </devices>
</domain>
`;
}
