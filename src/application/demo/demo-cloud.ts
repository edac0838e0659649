import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CreateFlavor, RegisterHost, RegisterImage } from '../compute/public';
import { UpdateProjectQuotas } from '../identity/public';
import { CreateNetwork } from '../network/public';
import { Principal } from '../shared/command-context';

/** What a first start on the embedded store creates, so that an instance can be launched at once. */
export const DEMO_CLOUD = {
  hosts: [1, 2, 3].map((n) => ({ name: `demo-host-${n}`, vcpus: 32, ramMiB: 65_536, diskGiB: 1_000 })),
  // Nova's classic flavors, as devstack creates them.
  flavors: [
    { name: 'm1.tiny', vcpus: 1, ramMiB: 512, diskGiB: 1 },
    { name: 'm1.small', vcpus: 1, ramMiB: 2_048, diskGiB: 20 },
    { name: 'm1.medium', vcpus: 2, ramMiB: 4_096, diskGiB: 40 },
    { name: 'm1.large', vcpus: 4, ramMiB: 8_192, diskGiB: 80 },
    { name: 'm1.xlarge', vcpus: 8, ramMiB: 16_384, diskGiB: 160 },
  ],
  image: { name: 'cirros', os: 'linux', minDiskGiB: 0, source: 'demo://cirros-0.6.2-x86_64-disk.img' },
  network: { name: 'private', cidr: '10.0.0.0/23' },
  // Room in the admin project for a launch of a few hundred m1.tiny (the defaults allow 10 instances).
  adminQuotas: { instances: 500, vcpus: 1_000, ramMiB: 262_144 },
} as const;

export type DemoCloudSummary = { hosts: string[]; flavors: string[]; image: string; network: string; adminQuotas: typeof DEMO_CLOUD.adminQuotas };

/**
 * Seeds the demo cloud through the ordinary commands, so that each part is an event in the log
 * like any made by hand: simulated hosts, the flavors, an image and the admin project's network.
 */
@Injectable()
export class DemoCloud {
  constructor(private readonly commands: CommandBus) {}

  async seed(admin: Principal): Promise<DemoCloudSummary> {
    const requestId = null;
    for (const host of DEMO_CLOUD.hosts) {
      const { name, ...capacity } = host;
      await this.commands.execute(new RegisterHost(name, 'simulated', null, capacity, null, admin, requestId));
    }
    for (const flavor of DEMO_CLOUD.flavors) {
      const { name, ...spec } = flavor;
      await this.commands.execute(new CreateFlavor(name, spec, admin, requestId));
    }
    const { image, network, adminQuotas } = DEMO_CLOUD;
    await this.commands.execute(new UpdateProjectQuotas(admin.projectId, adminQuotas, admin, requestId));
    await this.commands.execute(new RegisterImage(image.name, image.os, image.minDiskGiB, image.source, admin, requestId));
    await this.commands.execute(new CreateNetwork(network.name, [{ cidr: network.cidr }], {}, admin, requestId));
    return {
      hosts: DEMO_CLOUD.hosts.map((h) => h.name),
      flavors: DEMO_CLOUD.flavors.map((f) => f.name),
      image: image.name,
      network: `${network.name} (${network.cidr})`,
      adminQuotas,
    };
  }
}
