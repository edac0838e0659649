import { Inject, Injectable } from '@nestjs/common';
import { instanceDecider, instanceStream } from '../../domain/compute/instance/instance.decider';
import { AsOf, stateAsOf } from '../shared/point-in-time';
import { userState } from '../../domain/compute/instance/instance-states';
import { OperationEvent, operationStream } from '../../domain/compute/operation/operation.decider';
import { notFound } from '../../domain/shared/domain-error';
import { EVENT_STORE, EventStore } from '../ports/event-store.port';
import { redact } from '../shared/redaction';
import { assertInScope, listingScope } from '../identity/access';
import { PageRequest } from '../shared/paging';
import { Principal } from '../shared/command-context';
import { VOLUME_READ_MODEL, VolumeReadModel } from '../storage/ports/volume-read-model.port';
import { INSTANCE_READ_MODEL, InstanceFilter, InstanceReadModel, InstanceView, OperationRecord, operationRecordOf } from './ports/instance-read-model.port';

/** The status a volume operation aims at. */
const VOLUME_GOALS: Record<string, string> = {
  'volume-create': 'available',
  'volume-attach': 'in-use',
  'volume-detach': 'available',
  'volume-delete': 'deleted',
};

const INSTANCE_NOT_FOUND = { code: 'InstanceNotFound', message: 'Instance not found' };

export type OperationStatus = 'running' | 'succeeded' | 'failed' | 'compensated';

/**
 * An operation's status, from its instances: running while any still has work (including giving
 * back what a failed one held); then for a launch
 * succeeded (all active), compensated (all failed, everything given back) or failed (some failed);
 * for a delete succeeded once all are deleted; for an action succeeded unless one ended in error.
 */
export function operationStatus(kind: string, instances: InstanceView[]): OperationStatus {
  if (instances.some((i) => i.state === 'pending' || i.taskState !== null || (i.state === 'error' && !i.released))) return 'running';
  if (kind === 'delete') return instances.every((i) => i.state === 'deleted') ? 'succeeded' : 'failed';
  const failed = instances.filter((i) => i.state === 'error');
  if (failed.length === 0) return 'succeeded';
  return kind === 'launch' && failed.length === instances.length ? 'compensated' : 'failed';
}

/**
 * An operation on volumes or snapshots: running while any is in transition (or not projected yet),
 * then succeeded if every one reached the goal, failed otherwise.
 */
function towardsGoal(
  operation: OperationRecord,
  idField: 'volumeId' | 'snapshotId',
  ids: readonly string[],
  found: ReadonlyArray<{ status: string; failure?: string | null } | null>,
  goal: string,
  transitional: readonly string[],
) {
  const running = found.some((x) => !x || transitional.includes(x.status));
  const status: OperationStatus = running ? 'running' : found.every((x) => x?.status === goal) ? 'succeeded' : 'failed';
  return {
    id: operation.id,
    kind: operation.kind,
    projectId: operation.projectId,
    status,
    createdAt: operation.createdAt,
    steps: found.map((x, i) => ({ [idField]: ids[i], status: x?.status ?? 'creating' })),
    errors: status === 'failed' ? found.map((x, i) => ({ [idField]: ids[i], message: x?.failure ?? `ended ${x?.status}, expected ${goal}` })) : [],
  };
}

/** An instance the read model does not show yet: still at the start of its work. */
function notYetProjected(instanceId: string, operation: OperationRecord): InstanceView {
  return {
    id: instanceId,
    name: '',
    projectId: operation.projectId,
    flavor: { id: '', vcpus: 0, ramMiB: 0, diskGiB: 0 },
    image: '',
    state: operation.kind === 'launch' ? 'pending' : 'unknown',
    taskState: 'scheduling',
    powerState: 'nostate',
    host: null,
    addresses: [],
    volumes: [],
    failure: null,
    released: false,
    operationId: operation.id,
    createdAt: operation.createdAt,
    updatedAt: operation.createdAt,
  };
}

@Injectable()
export class InstanceQueries {
  constructor(
    @Inject(INSTANCE_READ_MODEL) private readonly readModel: InstanceReadModel,
    @Inject(VOLUME_READ_MODEL) private readonly volumes: VolumeReadModel,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The instance now, or as it was at a moment of the log (`asOf`: rebuilt from its stream). */
  async getInstance(p: Principal, id: string, asOf: AsOf | null = null): Promise<InstanceView> {
    // A launch answers before the read models show its instances; their streams already do.
    const instance = asOf ? await this.instanceFromLog(id, asOf) : ((await this.readModel.getInstance(id)) ?? (await this.instanceFromLog(id, null)));
    if (!instance) throw notFound(INSTANCE_NOT_FOUND.code, INSTANCE_NOT_FOUND.message);
    assertInScope(p, instance.projectId, INSTANCE_NOT_FOUND);
    return instance;
  }

  listInstances(p: Principal, filter: InstanceFilter, page: PageRequest) {
    return this.readModel.listInstances(listingScope(p), filter, page);
  }

  /** The instance's own history, oldest first. */
  async instanceEvents(p: Principal, id: string) {
    await this.getInstance(p, id);
    return { items: (await this.store.readStream(instanceStream(id))).map(redact) };
  }

  /** A volume operation: running while the volume is in transition, then whether it reached what was asked. */
  private async volumeOperation(operation: OperationRecord) {
    const volumes = await Promise.all(operation.volumeIds.map((v) => this.volumes.getVolume(v)));
    return towardsGoal(operation, 'volumeId', operation.volumeIds, volumes, VOLUME_GOALS[operation.kind], ['creating', 'attaching', 'detaching', 'deleting']);
  }

  /** A snapshot operation: running while the snapshot is being taken or deleted, then whether it got there. */
  private async snapshotOperation(operation: OperationRecord) {
    const snapshots = await Promise.all(operation.snapshotIds.map((s) => this.volumes.getSnapshot(s)));
    return towardsGoal(operation, 'snapshotId', operation.snapshotIds, snapshots, operation.kind === 'snapshot-create' ? 'available' : 'deleted', [
      'creating',
      'deleting',
    ]);
  }

  async getOperation(p: Principal, id: string) {
    // Read models may lag behind a burst of launches; the operation's own stream never does.
    const operation = (await this.readModel.getOperation(id)) ?? (await this.operationFromLog(id));
    if (!operation) throw notFound('OperationNotFound', 'Operation not found');
    assertInScope(p, operation.projectId, { code: 'OperationNotFound', message: 'Operation not found' });
    if (operation.kind.startsWith('volume-')) return this.volumeOperation(operation);
    if (operation.kind.startsWith('snapshot-')) return this.snapshotOperation(operation);
    const instances = new Map((await this.readModel.getInstances(operation.instanceIds)).map((i) => [i.id, i]));
    const ordered = operation.instanceIds.map((iid) => instances.get(iid) ?? notYetProjected(iid, operation));
    return {
      id: operation.id,
      kind: operation.kind,
      projectId: operation.projectId,
      status: operationStatus(operation.kind, ordered),
      createdAt: operation.createdAt,
      steps: ordered.map((i) => ({ instanceId: i.id, name: i.name, state: i.state, taskState: i.taskState, error: i.failure })),
      errors: ordered.filter((i) => i.state === 'error').map((i) => ({ instanceId: i.id, message: i.failure })),
    };
  }

  private async instanceFromLog(id: string, asOf: AsOf | null): Promise<InstanceView | null> {
    const { state, events } = await stateAsOf(this.store, instanceDecider, instanceStream(id), asOf);
    if (state.status !== 'present') return null;
    return {
      id: state.instanceId,
      name: state.request.name,
      projectId: state.projectId,
      flavor: { id: state.flavor.flavorId, vcpus: state.flavor.vcpus, ramMiB: state.flavor.ramMiB, diskGiB: state.flavor.diskGiB },
      image: state.request.imageId,
      state: userState(state.vmState, state.taskState),
      taskState: state.taskState,
      powerState: state.powerState,
      host: state.hostId,
      addresses: state.attachments.map((a) => ({ network: a.networkId, ip: a.ip, mac: a.mac, portId: a.portId })),
      volumes: state.rootVolumeId ? [state.rootVolumeId] : [],
      failure: state.failure,
      released: !state.releasePending,
      operationId: state.request.operationId,
      createdAt: events[0].metadata.at,
      updatedAt: events[events.length - 1].metadata.at,
    };
  }

  private async operationFromLog(id: string): Promise<OperationRecord | null> {
    const [started] = await this.store.readStream(operationStream(id));
    if (!started) return null;
    return operationRecordOf(started.data as OperationEvent['data']);
  }

  async getPort(p: Principal, id: string) {
    const port = await this.readModel.getPort(id);
    if (!port) throw notFound('PortNotFound', 'Port not found');
    assertInScope(p, port.projectId, { code: 'PortNotFound', message: 'Port not found' });
    return port;
  }

  listPorts(p: Principal, page: PageRequest) {
    return this.readModel.listPorts(listingScope(p), page);
  }
}
