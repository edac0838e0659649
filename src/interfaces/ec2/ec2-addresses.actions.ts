import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AllocateFloatingIp } from '../../application/network/commands/allocate-floating-ip.command';
import { ChangeFloatingIp } from '../../application/network/commands/change-floating-ip.command';
import { NetworkQueries } from '../../application/network/network.queries';
import { FloatingIpView } from '../../application/network/ports/network-read-model.port';
import { Principal } from '../../application/shared/command-context';
import { allItems } from '../../application/shared/paging';
import { withinOwnProject } from '../shared/own-project';
import { Ec2ActionGroup, Ec2Call, changing, reading } from './ec2-action';
import { ec2Invalid } from './ec2-error';
import { Ec2Ids, ec2Form, ec2IdOf } from './ec2-ids';
import { assertKnownFilters, passesFilters } from './ec2-params';
import { Ec2Params } from './ec2-params';

/** An association is the floating IP's current one: its id is derived from the address's. */
const associationIdOf = (f: FloatingIpView) => ec2Form('eipassoc', f.id);
const FILTERS = new Set(['allocation-id', 'association-id', 'instance-id', 'public-ip', 'domain', 'private-ip-address']);

/** Elastic IPs: our floating IPs, allocated from the pool, associated with an instance's first port, released. */
@Injectable()
export class Ec2AddressActions implements Ec2ActionGroup {
  readonly actions = {
    AllocateAddress: changing((call) => this.allocate(call)),
    DescribeAddresses: reading((call) => this.describe(call)),
    AssociateAddress: changing((call) => this.associate(call)),
    DisassociateAddress: changing((call) => this.disassociate(call)),
    ReleaseAddress: changing((call) => this.release(call)),
  };

  constructor(
    private readonly commands: CommandBus,
    private readonly network: NetworkQueries,
    private readonly ids: Ec2Ids,
  ) {}

  private async allocate({ principal, requestId }: Ec2Call) {
    const made: FloatingIpView = await this.commands.execute(new AllocateFloatingIp(principal, requestId));
    return { publicIp: made.address, domain: 'vpc', allocationId: ec2IdOf('floating-ip', made.id) };
  }

  private async describe({ params, principal }: Ec2Call) {
    const filters = params.filters();
    assertKnownFilters(filters, FILTERS);
    const byIp = new Set(params.list('PublicIp'));
    const all = await this.own(principal);
    const byId = await this.ids.visibleAmong('floating-ip', params.list('AllocationId'), new Set(all.map((f) => f.id)));
    for (const ip of byIp) if (!all.some((f) => f.address === ip)) throw ec2Invalid('InvalidAddress.NotFound', `Address '${ip}' not found.`);
    const shown = all.filter((f) => {
      if (byId.size > 0 && !byId.has(f.id)) return false;
      if (byIp.size > 0 && !byIp.has(f.address)) return false;
      const values: Record<string, string | null> = {
        'allocation-id': ec2IdOf('floating-ip', f.id),
        'association-id': f.instanceId ? associationIdOf(f) : null,
        'instance-id': f.instanceId ? ec2IdOf('instance', f.instanceId) : null,
        'public-ip': f.address,
        domain: 'vpc',
        'private-ip-address': f.fixedIp,
      };
      return passesFilters(filters, values);
    });
    return {
      addressesSet: shown.map((f) => ({
        publicIp: f.address,
        allocationId: ec2IdOf('floating-ip', f.id),
        domain: 'vpc',
        instanceId: f.instanceId ? ec2IdOf('instance', f.instanceId) : undefined,
        associationId: f.instanceId ? associationIdOf(f) : undefined,
        networkInterfaceId: f.portId ? ec2Form('eni', f.portId) : undefined,
        privateIpAddress: f.fixedIp ?? undefined,
        tagSet: [],
      })),
    };
  }

  private async associate({ params, principal, requestId }: Ec2Call) {
    const address = await this.addressOf(params, principal);
    const instanceId = await this.ids.ours('instance', params.required('InstanceId'));
    const associated: FloatingIpView | null = await this.commands.execute(new ChangeFloatingIp(address.id, { associate: instanceId }, principal, requestId));
    return { return: true, associationId: associationIdOf(associated ?? address) };
  }

  private async disassociate({ params, principal, requestId }: Ec2Call) {
    const associationId = params.get('AssociationId');
    const all = await this.own(principal);
    const address = associationId
      ? all.find((f) => f.instanceId && associationIdOf(f) === associationId)
      : all.find((f) => f.address === params.get('PublicIp'));
    if (!address) {
      if (!associationId && !params.get('PublicIp')) throw ec2Invalid('MissingParameter', 'The request must contain the parameter AssociationId or PublicIp');
      throw ec2Invalid('InvalidAssociationID.NotFound', `The association '${associationId ?? params.get('PublicIp')}' does not exist`);
    }
    await this.commands.execute(new ChangeFloatingIp(address.id, 'disassociate', principal, requestId));
    return { return: true };
  }

  private async release({ params, principal, requestId }: Ec2Call) {
    const address = await this.addressOf(params, principal);
    await this.commands.execute(new ChangeFloatingIp(address.id, 'release', principal, requestId));
    return { return: true };
  }

  /** The address named by AllocationId or PublicIp. */
  private async addressOf(params: Ec2Params, p: Principal): Promise<FloatingIpView> {
    const allocationId = params.get('AllocationId');
    if (allocationId) return this.network.getFloatingIp(withinOwnProject(p), await this.ids.ours('floating-ip', allocationId));
    const ip = params.get('PublicIp');
    if (!ip) throw ec2Invalid('MissingParameter', 'The request must contain the parameter AllocationId or PublicIp');
    const found = (await this.own(p)).find((f) => f.address === ip);
    if (!found) throw ec2Invalid('InvalidAddress.NotFound', `Address '${ip}' not found.`);
    return found;
  }

  private async own(p: Principal): Promise<FloatingIpView[]> {
    return (await allItems((page) => this.network.listFloatingIps(withinOwnProject(p), page))).filter((f) => f.projectId === p.projectId);
  }
}
