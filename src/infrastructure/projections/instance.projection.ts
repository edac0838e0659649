import { RecordedEvent } from '../../application/ports/event-store.port';
import { InstanceEvent } from '../../domain/compute/instance/instance.decider';
import { InstanceState, instanceDecider } from '../../domain/compute/instance/instance.decider';
import { OperationEvent } from '../../domain/compute/operation/operation.decider';
import { PortEvent } from '../../domain/network/port/port.decider';
import { Tx } from '../persistence/database';
import { InstanceRow, OperationRow, PortRow } from '../persistence/read-model.entities';
import { Projection } from './projection';

const INSTANCE_TYPES = new Set<string>([
  'InstanceRequested',
  'InstanceScheduled',
  'InstanceNetworked',
  'InstanceRootVolumeReady',
  'InstanceSpawnFailed',
  'InstanceActivated',
  'InstanceFailed',
  'InstanceResourcesReleased',
  'InstanceActionFailed',
  'InstanceStopRequested',
  'InstanceStopped',
  'InstanceStartRequested',
  'InstanceStarted',
  'InstanceRebootRequested',
  'InstanceRebooted',
  'InstanceDeleteRequested',
  'InstanceDeleted',
  'InstancePowerStateDrifted',
]);
const PORT_TYPES = new Set<string>(['PortCreated', 'PortBound', 'PortDeleted']);

/**
 * Instances (their Nova states folded by the domain's own evolve, so the read model and the
 * decider can never disagree), operations and ports.
 */
export const instanceProjection: Projection = {
  name: 'instances',
  tables: ['rm_instances', 'rm_operations', 'rm_ports'],
  async apply(events: readonly RecordedEvent[], tx: Tx) {
    for (const e of events) {
      if (INSTANCE_TYPES.has(e.type)) await applyInstance({ type: e.type, data: e.data } as InstanceEvent, e, tx);
      else if (PORT_TYPES.has(e.type)) await applyPort({ type: e.type, data: e.data } as PortEvent, tx);
      else if (e.type === 'OperationStarted') {
        const { operationId, projectId, kind, instanceIds, at } = (e as unknown as OperationEvent).data;
        await tx.manager.insert(OperationRow, { id: operationId, projectId, kind, instanceIds, createdAt: at });
      }
    }
  },
};

/** The state the row stands for, rebuilt from the row (enough for evolve: it only reads these fields). */
function stateOf(row: InstanceRow): InstanceState {
  return {
    status: 'present',
    instanceId: row.id,
    projectId: row.projectId,
    request: { networks: row.networks.map((networkId) => ({ networkId })) } as never,
    flavor: { flavorId: row.flavor.id, vcpus: row.flavor.vcpus, ramMiB: row.flavor.ramMiB, diskGiB: row.flavor.diskGiB },
    triedHosts: [],
    released: row.released === 1,
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

async function applyInstance(event: InstanceEvent, recorded: RecordedEvent, { manager }: Tx): Promise<void> {
  const at = recorded.metadata.at;
  if (event.type === 'InstanceRequested') {
    const d = event.data;
    await manager.insert(InstanceRow, {
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
      released: 0,
      createdAt: d.at,
      updatedAt: d.at,
    });
    return;
  }
  const row = await manager.findOneBy(InstanceRow, { id: event.data.instanceId });
  if (!row) return;
  const next = instanceDecider.evolve(stateOf(row), event);
  if (next.status !== 'present') return;
  await manager.update(
    InstanceRow,
    { id: row.id },
    {
      vmState: next.vmState,
      taskState: next.taskState,
      powerState: next.powerState,
      hostId: next.hostId,
      addresses: next.attachments.map((a) => ({ network: a.networkId, ip: a.ip, mac: a.mac, portId: a.portId })),
      volumes: next.rootVolumeId ? [next.rootVolumeId] : [],
      failure: next.failure,
      released: next.released ? 1 : 0,
      updatedAt: at,
    },
  );
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
