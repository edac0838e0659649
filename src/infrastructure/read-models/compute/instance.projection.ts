import { EventCore } from '../../../application/ports/event-store.port';
import { InstanceEvent } from '../../../domain/compute/instance/instance.events';
import { InstanceLifecycle, evolveLifecycle, requestedLifecycle } from '../../../domain/compute/instance/instance-lifecycle';
import { OperationEvent } from '../../../domain/compute/operation/operation.decider';
import { operationRecordOf } from '../../../application/compute/ports/instance-read-model.port';
import { InstanceRow, OperationRow } from './instance.tables';
import { Projection } from '../../projections/projection';
import { RowFolds } from '../../projections/row-folds';

/** Every instance event is named Instance…; a new one cannot be forgotten here. */
const isInstanceEvent = (type: string) => type.startsWith('Instance');

/** Instances (their Nova states) and operations. */
export const instanceProjection: Projection = {
  name: 'instances',
  tables: ['rm_instances', 'rm_operations'],
  reads: { types: ['OperationStarted'], prefixes: ['Instance'] },
  async apply(events: readonly EventCore[], folds: RowFolds) {
    await applyInstances(
      events.filter((e) => isInstanceEvent(e.type)),
      folds,
    );
    const started = events.filter((e) => e.type === 'OperationStarted');
    if (started.length === 0) return;
    const operations = folds.of(OperationRow);
    for (const e of started) operations.put(operationRecordOf((e as unknown as OperationEvent).data));
  },
};

/** A batch's instance events folded in memory through the domain's own evolve (see RowFold). */
async function applyInstances(events: readonly EventCore[], folds: RowFolds): Promise<void> {
  if (events.length === 0) return;
  const rows = await folds.of(InstanceRow).loadFor(
    events,
    (e) => (e.data as { instanceId: string }).instanceId,
    (e) => e.type === 'InstanceRequested',
  );
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as InstanceEvent;
    if (event.type === 'InstanceRequested') rows.put(newRow(event.data));
    else rows.update(event.data.instanceId, (row) => evolveRow(row, event, recorded.metadata.at));
  }
}

function newRow(d: Extract<InstanceEvent, { type: 'InstanceRequested' }>['data']): InstanceRow {
  return {
    id: d.instanceId,
    projectId: d.projectId,
    name: d.name,
    flavor: { id: d.flavor.flavorId, vcpus: d.flavor.vcpus, ramMiB: d.flavor.ramMiB, diskGiB: d.flavor.diskGiB },
    imageId: d.imageId,
    networks: d.networks.map((n) => n.networkId),
    keyName: d.keyName,
    securityGroups: d.securityGroups,
    zone: d.zone,
    metadata: d.metadata ?? {},
    tags: d.tags ?? [],
    operationId: d.operationId,
    createdAt: d.at,
    updatedAt: d.at,
    ...rowFieldsOf(requestedLifecycle()),
  };
}

/** The row after one event, folded by the domain's own lifecycle (so read model and decider never disagree). */
function evolveRow(row: InstanceRow, event: Exclude<InstanceEvent, { type: 'InstanceRequested' }>, at: string): InstanceRow {
  return { ...row, ...rowFieldsOf(evolveLifecycle(lifecycleOf(row), event)), ...detailsOf(event), updatedAt: at };
}

/** What an event changes of the instance beyond its lifecycle: its metadata, tags or security groups. */
function detailsOf(event: InstanceEvent): Partial<InstanceRow> {
  switch (event.type) {
    case 'InstanceMetadataChanged':
      return { metadata: event.data.metadata };
    case 'InstanceTagsChanged':
      return { tags: event.data.tags };
    case 'InstanceSecurityGroupsChanged':
      return { securityGroups: event.data.securityGroups };
    default:
      return {};
  }
}

function lifecycleOf(row: InstanceRow): InstanceLifecycle {
  return {
    vmState: row.vmState,
    taskState: row.taskState,
    powerState: row.powerState,
    hostId: row.hostId,
    attachments: row.addresses.map((a) => ({ portId: a.portId, networkId: a.network, ip: a.ip, mac: a.mac })),
    rootVolumeId: row.volumes[0] ?? null,
    failure: row.failure,
    releasePending: row.released === 0,
    retrying: row.retrying,
  };
}

function rowFieldsOf(
  l: InstanceLifecycle,
): Pick<InstanceRow, 'vmState' | 'taskState' | 'powerState' | 'hostId' | 'addresses' | 'volumes' | 'failure' | 'released' | 'retrying'> {
  return {
    vmState: l.vmState,
    taskState: l.taskState,
    powerState: l.powerState,
    hostId: l.hostId,
    addresses: l.attachments.map((a) => ({ network: a.networkId, ip: a.ip, mac: a.mac, portId: a.portId })),
    volumes: l.rootVolumeId ? [l.rootVolumeId] : [],
    failure: l.failure,
    released: l.releasePending ? 0 : 1,
    retrying: l.retrying,
  };
}
