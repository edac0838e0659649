import { Inject, Injectable } from '@nestjs/common';
import { ComputeQueries } from '../../application/compute/compute.queries';
import { ImageView } from '../../application/compute/ports/compute-read-model.port';
import { NetworkView } from '../../application/network/ports/network-read-model.port';
import { allItems } from '../../application/shared/paging';
import { Ec2ActionGroup, Ec2Call, reading } from './ec2-action';
import { Ec2Ids, ec2IdOf, vpcIdOf } from './ec2-ids';
import { DEFAULT_ZONE } from './ec2-instance-view';
import { Ec2Lookups } from './ec2-lookups';
import { assertKnownFilters, passesFilters } from './ec2-params';
import { EC2_SETTINGS, Ec2Settings } from './ec2-settings';
import { XmlValue } from './ec2-xml';

type Filterable = Record<string, string | null | undefined>;

/** Items whose named values pass every filter (unknown filter names refused). */
function filtered<T>(items: readonly T[], filters: ReadonlyMap<string, string[]>, valuesOf: (item: T) => Filterable): T[] {
  if (items.length > 0) assertKnownFilters(filters, new Set(Object.keys(valuesOf(items[0]))));
  return items.filter((item) => passesFilters(filters, valuesOf(item)));
}

const addressCount = (cidr: string | null, used: number) => (cidr ? Math.max(0, 2 ** (32 - Number(cidr.split('/')[1])) - 3 - used) : 0);

/** What is there to launch with and into: images, instance types, zones, regions, the default VPC and its subnets. */
@Injectable()
export class Ec2CatalogActions implements Ec2ActionGroup {
  readonly actions = {
    DescribeImages: reading((call) => this.images(call)),
    DescribeInstanceTypes: reading((call) => this.instanceTypes(call)),
    DescribeAvailabilityZones: reading(() => this.zones()),
    DescribeRegions: reading((call) => this.regions(call)),
    DescribeVpcs: reading((call) => this.vpcs(call)),
    DescribeSubnets: reading((call) => this.subnets(call)),
  };

  constructor(
    private readonly compute: ComputeQueries,
    private readonly lookups: Ec2Lookups,
    private readonly ids: Ec2Ids,
    @Inject(EC2_SETTINGS) private readonly settings: Ec2Settings,
  ) {}

  private async images({ params }: Ec2Call) {
    const asked = params.list('ImageId');
    const ours = new Set(await Promise.all(asked.map((id) => this.ids.ours('image', id))));
    const images = (await allItems((page) => this.compute.listImages(page))).filter((i) => asked.length === 0 || ours.has(i.id));
    const shown = filtered(images, params.filters(), (i: ImageView) => ({
      name: i.name,
      'image-id': ec2IdOf('image', i.id),
      state: i.status === 'active' ? 'available' : 'pending',
      'image-type': 'machine',
      architecture: 'x86_64',
      'is-public': 'true',
      platform: i.os === 'windows' ? 'windows' : null,
    }));
    return {
      imagesSet: shown.map((i) => ({
        imageId: ec2IdOf('image', i.id),
        imageLocation: i.name,
        imageState: i.status === 'active' ? 'available' : 'pending',
        imageOwnerId: 'orchestrator',
        creationDate: i.createdAt,
        isPublic: true,
        architecture: 'x86_64',
        imageType: 'machine',
        platform: i.os === 'windows' ? 'windows' : undefined,
        name: i.name,
        description: `${i.name} (${i.os}, ${i.diskFormat})`,
        rootDeviceType: 'instance-store',
        rootDeviceName: '/dev/vda',
        blockDeviceMapping: [],
        virtualizationType: 'hvm',
        hypervisor: 'xen',
      })),
    };
  }

  private async instanceTypes({ params }: Ec2Call) {
    const asked = new Set(params.list('InstanceType'));
    const flavors = (await allItems((page) => this.compute.listFlavors(page))).filter((f) => asked.size === 0 || asked.has(f.name));
    const shown = filtered(flavors, params.filters(), (f) => ({ 'instance-type': f.name, 'vcpu-info.default-vcpus': String(f.vcpus) }));
    return {
      instanceTypeSet: shown.map((f) => ({
        instanceType: f.name,
        currentGeneration: true,
        supportedUsageClasses: ['on-demand'],
        supportedRootDeviceTypes: ['ebs', 'instance-store'],
        hypervisor: 'xen',
        instanceStorageSupported: true,
        instanceStorageInfo: { totalSizeInGB: f.diskGiB },
        processorInfo: { supportedArchitectures: ['x86_64'] },
        vCpuInfo: { defaultVCpus: f.vcpus, defaultCores: f.vcpus, defaultThreadsPerCore: 1 },
        memoryInfo: { sizeInMiB: f.ramMiB },
      })),
    };
  }

  private async zones() {
    const hosts = await allItems((page) => this.compute.listHosts(page));
    const zones = [...new Set([DEFAULT_ZONE, ...hosts.map((h) => h.zone)])].sort();
    return {
      availabilityZoneInfo: zones.map((zoneName) => ({
        zoneName,
        zoneState: hosts.some((h) => h.zone === zoneName && h.enabled) ? 'available' : 'unavailable',
        regionName: this.settings.region,
        zoneId: zoneName,
        zoneType: 'availability-zone',
        messageSet: [],
      })),
    };
  }

  private async regions({ endpoint, params }: Ec2Call) {
    const asked = params.list('RegionName');
    const all = [{ name: this.settings.region, endpoint }, ...this.settings.otherRegions.map((r) => ({ name: r.name, endpoint: `${r.url}/ec2` }))];
    const regionInfo = all.map((r) => ({ regionName: r.name, regionEndpoint: r.endpoint, optInStatus: 'opt-in-not-required' }));
    return { regionInfo: regionInfo.filter((r) => asked.length === 0 || asked.includes(r.regionName)) };
  }

  /** Each project has one VPC, its default: the networks it owns are its subnets. */
  private async vpcs({ params, principal }: Ec2Call) {
    const vpcId = vpcIdOf(principal.projectId);
    const own = await this.lookups.ownNetworks(principal);
    const vpc = { 'vpc-id': vpcId, 'is-default': 'true', state: 'available' };
    const asked = params.list('VpcId');
    const shown = (asked.length === 0 || asked.includes(vpcId)) && filtered([vpc], params.filters(), (v) => v).length === 1;
    return {
      vpcSet: shown
        ? [
            {
              vpcId,
              state: 'available',
              cidrBlock: own[0]?.cidr ?? '10.0.0.0/8',
              dhcpOptionsId: 'default',
              instanceTenancy: 'default',
              isDefault: true,
              ownerId: principal.projectId,
            },
          ]
        : [],
    };
  }

  private async subnets({ params, principal }: Ec2Call) {
    const vpcId = vpcIdOf(principal.projectId);
    const asked = params.list('SubnetId');
    const own = await this.lookups.ownNetworks(principal);
    const ours = await this.ids.visibleAmong('network', asked, new Set(own.map((n) => n.id)));
    const networks = own.filter((n) => asked.length === 0 || ours.has(n.id));
    const shown = filtered(networks, params.filters(), (n: NetworkView) => ({
      'subnet-id': ec2IdOf('network', n.id),
      'vpc-id': vpcId,
      'cidr-block': n.cidr,
      'availability-zone': DEFAULT_ZONE,
      'default-for-az': 'true',
      state: 'available',
      'tag:Name': n.name,
    }));
    return { subnetSet: shown.map((n): XmlValue => subnetItem(n, vpcId)) };
  }
}

function subnetItem(n: NetworkView, vpcId: string): XmlValue {
  return {
    subnetId: ec2IdOf('network', n.id),
    state: 'available',
    vpcId,
    cidrBlock: n.cidr,
    availableIpAddressCount: addressCount(n.cidr, n.usedIps),
    availabilityZone: DEFAULT_ZONE,
    defaultForAz: true,
    mapPublicIpOnLaunch: false,
    tagSet: [{ key: 'Name', value: n.name }],
  };
}
