import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EVENT_STORE, EventStore } from '../../application/ports/event-store.port';
import { READ_MODEL_PROGRESS, ReadModelProgress } from '../../application/ports/read-model-progress.port';
import { allItems } from '../../application/shared/paging';
import { ChangeVolume, VolumeChange } from '../../application/storage/commands/change-volume.command';
import { CreateSnapshot } from '../../application/storage/commands/create-snapshot.command';
import { CreateVolume } from '../../application/storage/commands/create-volume.command';
import { DeleteSnapshot } from '../../application/storage/commands/delete-snapshot.command';
import { SnapshotAccepted } from '../../application/storage/snapshot-changes';
import { VolumeAccepted } from '../../application/storage/volume-accepted';
import { VolumeQueries } from '../../application/storage/volume.queries';
import { withinOwnProject } from '../shared/own-project';
import { Ec2ActionGroup, Ec2Call, changing, reading } from './ec2-action';
import { Ec2ClientTokens } from './ec2-client-tokens';
import { missingParameter } from './ec2-error';
import { Ec2Ids, ec2IdOf } from './ec2-ids';
import { assertKnownFilters, passesFilters, tagFilterValues } from './ec2-params';
import { snapshotItem, snapshotStateOf, volumeItem, volumeStateOf } from './ec2-volume-views';

const VOLUME_FILTERS = new Set(['volume-id', 'status', 'attachment.instance-id', 'size', 'availability-zone']);
const SNAPSHOT_FILTERS = new Set(['snapshot-id', 'volume-id', 'status', 'owner-id', 'description']);

/** Volumes (create, describe, attach, detach, delete) and their snapshots. */
@Injectable()
export class Ec2VolumeActions implements Ec2ActionGroup {
  readonly actions = {
    CreateVolume: changing((call) => this.create(call)),
    DescribeVolumes: reading((call) => this.describe(call)),
    AttachVolume: changing((call) => this.change(call, 'attach')),
    DetachVolume: changing((call) => this.change(call, 'detach')),
    DeleteVolume: changing((call) => this.change(call, 'delete')),
    CreateSnapshot: changing((call) => this.snapshot(call)),
    DescribeSnapshots: reading((call) => this.describeSnapshots(call)),
    DeleteSnapshot: changing((call) => this.deleteSnapshot(call)),
  };

  constructor(
    private readonly commands: CommandBus,
    private readonly volumes: VolumeQueries,
    private readonly ids: Ec2Ids,
    private readonly tokens: Ec2ClientTokens,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_PROGRESS) private readonly progress: ReadModelProgress,
  ) {}

  private async create(call: Ec2Call) {
    const { params, principal, requestId } = call;
    const volumeId = await this.tokens.once(call, 'CreateVolume', async () => {
      const snapshotId = params.get('SnapshotId');
      const source = snapshotId ? await this.ids.ours('snapshot', snapshotId) : null;
      const size = params.int('Size', 1, 16_384) ?? (source ? (await this.volumes.findSnapshot(withinOwnProject(principal), source)).sizeGiB : undefined);
      if (size === undefined) throw missingParameter('Size');
      const accepted: VolumeAccepted = await this.commands.execute(new CreateVolume('ec2-volume', size, principal, requestId, source));
      return accepted.volume.id;
    });
    return volumeItem(await this.current(principal, volumeId));
  }

  private async describe({ params, principal }: Ec2Call) {
    const filters = params.filters();
    assertKnownFilters(filters, VOLUME_FILTERS);
    const asked = await Promise.all(params.list('VolumeId').map((id) => this.ids.ours('volume', id)));
    const own = withinOwnProject(principal);
    const volumes =
      asked.length > 0
        ? await Promise.all(asked.map((id) => this.volumes.getVolume(own, id)))
        : (await allItems((page) => this.volumes.listVolumes(own, page))).filter((v) => v.projectId === principal.projectId);
    const shown = volumes.filter((v) => {
      const values: Record<string, string | null> = {
        'volume-id': ec2IdOf('volume', v.id),
        status: volumeStateOf(v),
        'attachment.instance-id': v.instanceId ? ec2IdOf('instance', v.instanceId) : null,
        size: String(v.sizeGiB),
        'availability-zone': 'nova',
        ...tagFilterValues(v.metadata),
      };
      return v.status !== 'deleted' && passesFilters(filters, values);
    });
    return { volumeSet: shown.map(volumeItem) };
  }

  private async change({ params, principal, requestId }: Ec2Call, action: VolumeChange['action']) {
    const volumeId = await this.ids.ours('volume', params.required('VolumeId'));
    const change: VolumeChange = action === 'attach' ? { action, instanceId: await this.ids.ours('instance', params.required('InstanceId')) } : { action };
    await this.commands.execute(new ChangeVolume(volumeId, change, principal, requestId));
    if (action === 'delete') return { return: true };
    const volume = await this.current(principal, volumeId);
    const attachment = volumeItem(volume).attachmentSet[0] ?? { volumeId: ec2IdOf('volume', volumeId), status: 'detached' };
    return { ...attachment, device: attachment.device || params.get('Device') || '' };
  }

  private async snapshot({ params, principal, requestId }: Ec2Call) {
    const volumeId = await this.ids.ours('volume', params.required('VolumeId'));
    const accepted: SnapshotAccepted = await this.commands.execute(new CreateSnapshot(volumeId, params.get('Description') ?? '', principal, requestId));
    await this.progress.waitFor(await this.store.headPosition());
    return snapshotItem(await this.volumes.findSnapshot(withinOwnProject(principal), accepted.snapshot.id));
  }

  private async describeSnapshots({ params, principal }: Ec2Call) {
    const filters = params.filters();
    assertKnownFilters(filters, SNAPSHOT_FILTERS);
    const own = withinOwnProject(principal);
    const asked = await Promise.all(params.list('SnapshotId').map((id) => this.ids.ours('snapshot', id)));
    const snapshots =
      asked.length > 0
        ? await Promise.all(asked.map((id) => this.volumes.findSnapshot(own, id)))
        : (await allItems((page) => this.volumes.listProjectSnapshots(own, page))).filter((s) => s.projectId === principal.projectId);
    const shown = snapshots.filter((s) => {
      const values: Record<string, string> = {
        'snapshot-id': ec2IdOf('snapshot', s.id),
        'volume-id': ec2IdOf('volume', s.volumeId),
        status: snapshotStateOf(s),
        'owner-id': s.projectId,
        description: s.name,
        ...tagFilterValues(s.metadata),
      };
      return passesFilters(filters, values);
    });
    return { snapshotSet: shown.map(snapshotItem) };
  }

  private async deleteSnapshot({ params, principal, requestId }: Ec2Call) {
    const snapshot = await this.volumes.findSnapshot(withinOwnProject(principal), await this.ids.ours('snapshot', params.required('SnapshotId')));
    await this.commands.execute(new DeleteSnapshot(snapshot.volumeId, snapshot.id, principal, requestId));
    return { return: true };
  }

  private async current(p: Ec2Call['principal'], volumeId: string) {
    await this.progress.waitFor(await this.store.headPosition());
    return this.volumes.getVolume(withinOwnProject(p), volumeId);
  }
}
