import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { InstanceQueries } from '../../application/compute/instance.queries';
import { LaunchAccepted, LaunchInstances, LaunchRequest, MAX_INSTANCES_PER_REQUEST } from '../../application/compute/provisioning/launch-instances.command';
import { EVENT_STORE, EventStore } from '../../application/ports/event-store.port';
import { READ_MODEL_PROGRESS, ReadModelProgress } from '../../application/ports/read-model-progress.port';
import { Principal } from '../../application/shared/command-context';
import { Ec2Call } from './ec2-action';
import { Ec2ClientTokens } from './ec2-client-tokens';
import { ec2Invalid, invalidValue, missingParameter } from './ec2-error';
import { Ec2Ids, reservationIdOf, vpcIdOf } from './ec2-ids';
import { reservationsOf } from './ec2-instance-view';
import { Ec2Lookups } from './ec2-lookups';
import { Ec2Params } from './ec2-params';
import { XmlValue } from './ec2-xml';

/** What a ClientToken keeps: the launch it made, answered again with the instances as they are now. */
type Reservation = { operationId: string; instanceIds: string[] };

/** RunInstances: a launch of MinCount..MaxCount instances, idempotent by ClientToken. */
@Injectable()
export class Ec2RunInstances {
  constructor(
    private readonly commands: CommandBus,
    private readonly instances: InstanceQueries,
    private readonly lookups: Ec2Lookups,
    private readonly ids: Ec2Ids,
    private readonly tokens: Ec2ClientTokens,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_PROGRESS) private readonly progress: ReadModelProgress,
  ) {}

  async run(call: Ec2Call): Promise<Record<string, XmlValue>> {
    const reservation = await this.tokens.once(call, 'RunInstances', () => this.launch(call.params, call.principal, call.requestId));
    return this.answer(call.principal, reservation);
  }

  private async launch(params: Ec2Params, p: Principal, requestId: string): Promise<Reservation> {
    const request = await this.requestOf(params, p);
    const accepted: LaunchAccepted = await this.commands.execute(new LaunchInstances(request, p, requestId));
    // EC2's clients describe right after the run and expect the instances there.
    await this.progress.waitFor(await this.store.headPosition());
    return { operationId: accepted.operation.id, instanceIds: accepted.instances.map((i) => i.id) };
  }

  private async answer(p: Principal, reservation: Reservation): Promise<Record<string, XmlValue>> {
    const [instances, context] = await Promise.all([
      this.instances.instancesByIds(p, reservation.instanceIds),
      this.lookups.instanceContext(p, vpcIdOf(p.projectId)),
    ]);
    const [made] = reservationsOf(instances, context, p.projectId);
    return (made as Record<string, XmlValue>) ?? { reservationId: reservationIdOf(reservation.operationId), ownerId: p.projectId, instancesSet: [] };
  }

  private async requestOf(params: Ec2Params, p: Principal): Promise<LaunchRequest> {
    const minCount = params.int('MinCount', 1, MAX_INSTANCES_PER_REQUEST);
    const maxCount = params.int('MaxCount', 1, MAX_INSTANCES_PER_REQUEST);
    if (minCount === undefined) throw missingParameter('MinCount');
    if (maxCount === undefined) throw missingParameter('MaxCount');
    if (minCount > maxCount) throw invalidValue('MinCount', minCount, 'must not be more than MaxCount');
    const image = await this.ids.ours('image', params.required('ImageId'));
    const flavorName = params.required('InstanceType');
    const flavor = await this.lookups.flavorIdByName(flavorName);
    if (!flavor) throw invalidValue('InstanceType', flavorName, 'is not a known instance type');
    const nic = params.members('NetworkInterface')[0];
    const subnet = params.get('SubnetId') ?? nic?.get('SubnetId');
    const ip = params.get('PrivateIpAddress') ?? nic?.get('PrivateIpAddress');
    const network = subnet ? await this.ids.ours('network', subnet) : await this.defaultNetwork(p);
    const groupIds = [...params.list('SecurityGroupId'), ...(nic?.list('SecurityGroupId') ?? [])];
    const groups = [...(await Promise.all(groupIds.map((id) => this.ids.ours('security-group', id)))), ...params.list('SecurityGroup')];
    const userData = params.get('UserData');
    const zone = params.get('Placement.AvailabilityZone');
    const tags = instanceTags(params);
    return {
      name: tags.Name ?? 'ec2-instance',
      flavor,
      image,
      networks: [{ network, ...(ip ? { ip } : {}) }],
      keyName: params.get('KeyName'),
      ...(userData ? { userData: Buffer.from(userData, 'base64').toString('utf8') } : {}),
      ...(groups.length > 0 ? { securityGroups: groups } : {}),
      ...(zone ? { zone } : {}),
      ...(Object.keys(tags).length > 0 ? { metadata: tags } : {}),
      minCount,
      maxCount,
    };
  }

  /** The default VPC's default subnet: the project's first own network. */
  private async defaultNetwork(p: Principal): Promise<string> {
    const [first] = await this.lookups.ownNetworks(p);
    if (!first) throw ec2Invalid('VPCIdNotSpecified', 'No default VPC for this user: the project has no network; create one or give a SubnetId');
    return first.id;
  }
}

/** The tags of TagSpecification.N with ResourceType `instance` (EC2 tags are our instance metadata). */
function instanceTags(params: Ec2Params): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const spec of params.members('TagSpecification')) {
    const type = spec.get('ResourceType');
    if (type !== 'instance') throw invalidValue('TagSpecification.ResourceType', type, 'may only be instance here');
    for (const tag of spec.members('Tag')) tags[tag.required('Key')] = tag.get('Value') ?? '';
  }
  return tags;
}
