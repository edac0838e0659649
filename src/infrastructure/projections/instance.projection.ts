import { RecordedEvent } from '../../application/ports/event-store.port';
import { InstanceEvent } from '../../domain/compute/instance/instance.decider';
import { InstanceState, instanceDecider } from '../../domain/compute/instance/instance.decider';
import { OperationEvent } from '../../domain/compute/operation/operation.decider';
import { PortEvent } from '../../domain/network/port/port.decider';
import { In } from 'typeorm';
import { Tx } from '../persistence/database';
import { InstanceRow, OperationRow, PortRow } from '../persistence/read-model.entities';
import { Projection } from './projection';

/** Every instance event is named Instance…; a new one cannot be forgotten here. */
const isInstanceEvent = (type: string) => type.startsWith('Instance');
const PORT_TYPES = new Set<string>(['PortCreated', 'PortBound', 'PortDeleted']);

/** Instances (their Nova states), operations and ports. */
export const instanceProjection: Projection = {
  name: 'instances',
  tables: ['rm_instances', 'rm_operations', 'rm_ports'],
  async apply(events: readonly RecordedEvent[], tx: Tx) {
    await applyInstances(
      events.filter((e) => isInstanceEvent(e.type)),
      tx,
    );
    for (const e of events) {
      if (PORT_TYPES.has(e.type)) await applyPort({ type: e.type, data: e.data } as PortEvent, tx);
      else if (e.type === 'OperationStarted') {
        const { operationId, projectId, kind, instanceIds, volumeIds, at } = (e as unknown as OperationEvent).data;
        await tx.manager.insert(OperationRow, { id: operationId, projectId, kind, instanceIds, volumeIds: volumeIds ?? [], createdAt: at });
      }
    }
  },
};

/**
 * A batch's instance events folded in memory: one read of the rows it touches, then one write per
 * row (a launch of 1,000 instances produces over 10,000 instance events; row-at-a-time would not
 * keep up with the provisioning worker).
 */
async function applyInstances(events: readonly RecordedEvent[], { manager }: Tx): Promise<void> {
  if (events.length === 0) return;
  const ids = [...new Set(events.map((e) => (e.data as { instanceId: string }).instanceId))];
  const rows = new Map((await manager.find(InstanceRow, { where: { id: In(ids) } })).map((r) => [r.id, r]));
  const created = new Set<string>();
  const changed = new Set<string>();
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as InstanceEvent;
    if (event.type === 'InstanceRequested') {
      rows.set(event.data.instanceId, newRow(event.data));
      created.add(event.data.instanceId);
      continue;
    }
    const row = rows.get(event.data.instanceId);
    if (!row) continue;
    rows.set(row.id, evolveRow(row, event, recorded.metadata.at));
    changed.add(row.id);
  }
  const inserts = [...created].map((id) => rows.get(id) as InstanceRow);
  for (let i = 0; i < inserts.length; i += 200) await manager.insert(InstanceRow, inserts.slice(i, i + 200));
  for (const id of changed) {
    if (created.has(id)) continue;
    const { id: _id, ...values } = rows.get(id) as InstanceRow;
    await manager.update(InstanceRow, { id }, values);
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

async function applyPort(event: PortEvent, { manager }: Tx): Promise<void> {
  switch (event.type) {
    case 'PortCreated': {
      const { portId, projectId, networkId, mac, ip, instanceId, securityGroups } = event.data;
      await manager.insert(PortRow, { id: portId, projectId, networkId, mac, ip, instanceId, hostId: null, status: 'down', securityGroups });
      return;
    }
    case 'PortBound':
      await manager.update(PortRow, { id: event.data.portId }, { instanceId: event.data.instanceId, hostId: event.data.hostId, status: 'active' });
      return;
    case 'PortDeleted':
      await manager.delete(PortRow, { id: event.data.portId });
      return;
  }
}
