import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ChangeInstanceDetails } from '../../application/compute/commands/change-instance-details.command';
import { InstanceQueries } from '../../application/compute/instance.queries';
import { ChangeSecurityGroupMetadata } from '../../application/network/commands/change-security-group-metadata.command';
import { NetworkQueries } from '../../application/network/network.queries';
import { Principal } from '../../application/shared/command-context';
import { allItems } from '../../application/shared/paging';
import { ChangeVolumeMetadata } from '../../application/storage/commands/change-volume-metadata.command';
import { VolumeQueries } from '../../application/storage/volume.queries';
import { Metadata, MetadataChange } from '../../domain/shared/metadata';
import { withinOwnProject } from '../shared/own-project';
import { Ec2ActionGroup, Ec2Call, changing, reading } from './ec2-action';
import { ec2Invalid, missingParameter } from './ec2-error';
import { Ec2Ids, ec2IdOf } from './ec2-ids';
import { assertKnownFilters, passesFilters } from './ec2-params';

type TaggedKind = 'instance' | 'volume' | 'snapshot' | 'security-group';
const KINDS: ReadonlyArray<readonly [string, TaggedKind]> = [
  ['i-', 'instance'],
  ['vol-', 'volume'],
  ['snap-', 'snapshot'],
  ['sg-', 'security-group'],
];
const FILTERS = new Set(['resource-id', 'resource-type', 'key', 'value']);

/** A resource's tags as they are, and the way to change them. */
type Tagged = { metadata: Metadata; change: (change: MetadataChange) => Promise<unknown> };
type Tag = { resourceId: string; resourceType: TaggedKind; key: string; value: string };

/** Tags are metadata: an instance's (Compute), a volume's or snapshot's (Storage), a security group's (Network). */
@Injectable()
export class Ec2TagActions implements Ec2ActionGroup {
  readonly actions = {
    CreateTags: changing((call) => this.change(call, 'create')),
    DeleteTags: changing((call) => this.change(call, 'delete')),
    DescribeTags: reading((call) => this.describe(call)),
  };

  constructor(
    private readonly commands: CommandBus,
    private readonly instances: InstanceQueries,
    private readonly volumes: VolumeQueries,
    private readonly network: NetworkQueries,
    private readonly ids: Ec2Ids,
  ) {}

  private async change({ params, principal, requestId }: Ec2Call, how: 'create' | 'delete') {
    const resources = params.list('ResourceId');
    if (resources.length === 0) throw missingParameter('ResourceId');
    const tags = params.members('Tag').map((t) => ({ key: t.required('Key'), value: t.get('Value') }));
    if (how === 'create' && tags.length === 0) throw missingParameter('Tag');
    // Every resource is found before any is changed: an unknown one changes nothing.
    const found = await Promise.all(resources.map((id) => this.tagged(id, principal, requestId)));
    for (const resource of found) {
      if (how === 'create') {
        await resource.change({ set: Object.fromEntries(tags.map((t) => [t.key, t.value ?? ''])), unset: [], replace: false });
        continue;
      }
      // A tag named with a value goes only if it has that value; with no tags named, all go.
      const { metadata } = resource;
      const unset =
        tags.length === 0
          ? Object.keys(metadata)
          : tags.filter((t) => t.key in metadata && (t.value === undefined || metadata[t.key] === t.value)).map((t) => t.key);
      if (unset.length > 0) await resource.change({ set: {}, unset, replace: false });
    }
    return { return: true };
  }

  private async tagged(ec2Id: string, p: Principal, requestId: string): Promise<Tagged> {
    const kind = KINDS.find(([prefix]) => ec2Id.startsWith(prefix))?.[1];
    if (!kind) throw ec2Invalid('InvalidID', `The ID '${ec2Id}' is not valid: tags are kept on instances, volumes, snapshots and security groups`);
    const id = await this.ids.ours(kind, ec2Id);
    const own = withinOwnProject(p);
    switch (kind) {
      case 'instance':
        return {
          metadata: (await this.instances.getInstance(own, id)).metadata,
          change: (change) => this.commands.execute(new ChangeInstanceDetails(id, { of: 'metadata', ...change }, p, requestId)),
        };
      case 'volume':
        return {
          metadata: (await this.volumes.getVolume(own, id)).metadata,
          change: (change) => this.commands.execute(new ChangeVolumeMetadata(id, null, change, p, requestId)),
        };
      case 'snapshot': {
        const snapshot = await this.volumes.findSnapshot(own, id);
        return {
          metadata: snapshot.metadata,
          change: (change) => this.commands.execute(new ChangeVolumeMetadata(snapshot.volumeId, id, change, p, requestId)),
        };
      }
      case 'security-group':
        return {
          metadata: (await this.network.getSecurityGroup(own, id)).metadata,
          change: (change) => this.commands.execute(new ChangeSecurityGroupMetadata(id, change, p, requestId)),
        };
    }
  }

  private async describe({ params, principal }: Ec2Call) {
    const filters = params.filters();
    assertKnownFilters(filters, FILTERS);
    const own = withinOwnProject(principal);
    const mine = <T extends { projectId: string }>(items: T[]) => items.filter((i) => i.projectId === principal.projectId);
    const [instances, volumes, snapshots, groups] = await Promise.all([
      this.instances.findInstances(own, false, {}, () => true, { limit: Number.MAX_SAFE_INTEGER, cursor: null }),
      allItems((page) => this.volumes.listVolumes(own, page)),
      allItems((page) => this.volumes.listProjectSnapshots(own, page)),
      allItems((page) => this.network.listSecurityGroups(own, page)),
    ]);
    const tagsOf = (kind: TaggedKind, id: string, metadata: Metadata): Tag[] =>
      Object.entries(metadata).map(([key, value]) => ({ resourceId: ec2IdOf(kind, id), resourceType: kind, key, value }));
    const tags = [
      ...instances.items.flatMap((i) => tagsOf('instance', i.id, i.metadata)),
      ...mine(volumes)
        .filter((v) => v.status !== 'deleted')
        .flatMap((v) => tagsOf('volume', v.id, v.metadata)),
      ...mine(snapshots).flatMap((s) => tagsOf('snapshot', s.id, s.metadata)),
      ...mine(groups).flatMap((g) => tagsOf('security-group', g.id, g.metadata)),
    ];
    return { tagSet: tags.filter((t) => passesFilters(filters, { 'resource-id': t.resourceId, 'resource-type': t.resourceType, key: t.key, value: t.value })) };
  }
}
