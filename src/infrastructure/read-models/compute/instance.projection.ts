import { EventCore } from '../../../application/ports/event-store.port';
import { InstanceEvent } from '../../../domain/compute/instance/instance.decider';
import { InstanceState, instanceDecider } from '../../../domain/compute/instance/instance.decider';
import { OperationEvent } from '../../../domain/compute/operation/operation.decider';
import { PortEvent } from '../../../domain/network/port/port.decider';
import { operationRecordOf } from '../../../application/compute/ports/instance-read-model.port';
import { InstanceRow, OperationRow, PortRow } from '../../persistence/read-model.entities';
import { Projection } from '../../projections/projection';
import { RowFolds } from '../../projections/row-folds';

/** Every instance event is named Instance…; a new one cannot be forgotten here. */
const isInstanceEvent = (type: string) => type.startsWith('Instance');
const PORT_TYPES = new Set<string>(['PortCreated', 'PortBound', 'PortDeleted']);

/** Instances (their Nova states), operations and ports. */
export const instanceProjection: Projection = {
  name: 'instances',
  tables: ['rm_instances', 'rm_operations', 'rm_ports'],
  reads: { types: [...PORT_TYPES, 'OperationStarted'], prefixes: ['Instance'] },
  async apply(events: readonly EventCore[], folds: RowFolds) {
    await applyInstances(
      events.filter((e) => isInstanceEvent(e.type)),
      folds,
    );
    await applyPorts(
      events.filter((e) => PORT_TYPES.has(e.type)),
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
    vmState: 'building',
    taskState: 'scheduling',
    powerState: 'nostate',
    hostId: null,
    addresses: [],
    networks: d.networks.map((n) => n.networkId),
    volumes: [],
    failure: null,
    operationId: d.operationId,
    released: 1, // nothing waiting to be given back
    createdAt: d.at,
    updatedAt: d.at,
  };
}

/** The row after one event, through the domain's own evolve (so read model and decider never disagree). */
function evolveRow(row: InstanceRow, event: InstanceEvent, at: string): InstanceRow {
  const next = instanceDecider.evolve(stateOf(row), event);
  if (next.status !== 'present') return row;
  return {
    ...row,
    vmState: next.vmState,
    taskState: next.taskState,
    powerState: next.powerState,
    hostId: next.hostId,
    addresses: next.attachments.map((a) => ({ network: a.networkId, ip: a.ip, mac: a.mac, portId: a.portId })),
    volumes: next.rootVolumeId ? [next.rootVolumeId] : [],
    failure: next.failure,
    released: next.releasePending ? 0 : 1,
    updatedAt: at,
  };
}

/** The state the row stands for, rebuilt from the row (enough for evolve: it only reads these fields). */
function stateOf(row: InstanceRow): InstanceState {
  return {
    status: 'present',
    instanceId: row.id,
    projectId: row.projectId,
    request: { networks: row.networks.map((networkId) => ({ networkId })) } as never,
    flavor: { flavorId: row.flavor.id, vcpus: row.flavor.vcpus, ramMiB: row.flavor.ramMiB, diskGiB: row.flavor.diskGiB },
    triedHosts: [],
    releasePending: row.released === 0 && row.vmState === 'error',
    vmState: row.vmState as never,
    taskState: row.taskState as never,
    powerState: row.powerState as never,
    hostId: row.hostId,
    attempt: 0,
    attachments: row.addresses.map((a) => ({ portId: a.portId, networkId: a.network, ip: a.ip, mac: a.mac })),
    rootVolumeId: row.volumes[0] ?? null,
    failure: row.failure,
  };
}

async function applyPorts(events: readonly EventCore[], folds: RowFolds): Promise<void> {
  if (events.length === 0) return;
  const rows = await folds.of(PortRow).loadFor(
    events,
    (e) => (e.data as { portId: string }).portId,
    (e) => e.type === 'PortCreated',
  );
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as PortEvent;
    switch (event.type) {
      case 'PortCreated': {
        const { portId, projectId, networkId, mac, ip, instanceId, securityGroups } = event.data;
        rows.put({ id: portId, projectId, networkId, mac, ip, instanceId, hostId: null, status: 'down', securityGroups });
        break;
      }
      case 'PortBound':
        rows.update(event.data.portId, (row) => ({ ...row, instanceId: event.data.instanceId, hostId: event.data.hostId, status: 'active' }));
        break;
      case 'PortDeleted':
        rows.remove(event.data.portId);
        break;
    }
  }
}
