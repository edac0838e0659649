import { In, MoreThan } from 'typeorm';
import { Page, PageRequest } from '../../../application/shared/paging';
import { InstanceFilter, InstanceReadModel, InstanceView, OperationRecord, PortView } from '../../../application/compute/ports/instance-read-model.port';
import { userState } from '../../../domain/compute/instance/instance-states';
import { Database } from '../../persistence/database';
import { decodeCursor, toPage } from '../paging';
import { InstanceRow, OperationRow, PortRow } from '../../persistence/read-model.entities';

const toInstance = (r: InstanceRow): InstanceView => ({
  id: r.id,
  name: r.name,
  projectId: r.projectId,
  flavor: r.flavor,
  image: r.imageId,
  state: userState(r.vmState as never, r.taskState as never),
  taskState: r.taskState,
  powerState: r.powerState,
  host: r.hostId,
  addresses: r.addresses,
  volumes: r.volumes,
  failure: r.failure,
  released: r.released === 1,
  operationId: r.operationId,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

const toPort = (r: PortRow): PortView => ({
  id: r.id,
  projectId: r.projectId,
  networkId: r.networkId,
  mac: r.mac,
  ip: r.ip,
  instanceId: r.instanceId,
  host: r.hostId,
  status: r.status,
  securityGroups: r.securityGroups,
});

/** vm/task states behind each user-facing state, for filtering in SQL. */
const STATE_FILTERS: Record<string, (q: ReturnType<Database['reader']['manager']['createQueryBuilder']>) => void> = {
  pending: (q) => q.andWhere("(i.vm_state = 'building' OR i.task_state = 'powering_on')"),
  active: (q) => q.andWhere("i.vm_state = 'active' AND i.task_state IS NULL"),
  stopping: (q) => q.andWhere("i.task_state = 'powering_off'"),
  stopped: (q) => q.andWhere("i.vm_state = 'stopped' AND i.task_state IS NULL"),
  rebooting: (q) => q.andWhere("i.task_state IN ('rebooting', 'rebooting_hard')"),
  deleting: (q) => q.andWhere("i.task_state = 'deleting'"),
  deleted: (q) => q.andWhere("i.vm_state = 'deleted'"),
  error: (q) => q.andWhere("i.vm_state = 'error' AND (i.task_state IS NULL OR i.task_state <> 'deleting')"),
};

export class TypeOrmInstanceReadModel implements InstanceReadModel {
  constructor(private readonly db: Database) {}

  private get m() {
    return this.db.reader.manager;
  }

  async getInstance(id: string) {
    const row = await this.m.findOneBy(InstanceRow, { id });
    return row ? toInstance(row) : null;
  }

  async listInstances(projectId: string | null, filter: InstanceFilter, page: PageRequest): Promise<Page<InstanceView>> {
    const q = this.m
      .createQueryBuilder(InstanceRow, 'i')
      .orderBy('i.id', 'ASC')
      .take(page.limit + 1);
    if (projectId) q.andWhere('i.project_id = :projectId', { projectId });
    const cursor = decodeCursor(page.cursor);
    if (cursor) q.andWhere('i.id > :cursor', { cursor });
    if (filter.state) STATE_FILTERS[filter.state]?.(q as never);
    if (filter.state !== 'deleted') q.andWhere("i.vm_state <> 'deleted'");
    if (filter.name) q.andWhere('i.name = :name', { name: filter.name });
    if (filter.host) q.andWhere('i.host_id = :host', { host: filter.host });
    if (filter.network) q.andWhere('i.networks LIKE :network', { network: `%"${filter.network}"%` });
    return toPage(await q.getMany(), page, toInstance);
  }

  async getInstances(ids: string[]) {
    if (ids.length === 0) return [];
    return (await this.m.find(InstanceRow, { where: { id: In(ids) } })).map(toInstance);
  }

  async listOnHost(hostId: string) {
    return (await this.m.find(InstanceRow, { where: { hostId } })).filter((r) => r.vmState !== 'deleted').map(toInstance);
  }

  async listUnfinished(): Promise<string[]> {
    const rows = await this.m
      .createQueryBuilder(InstanceRow, 'i')
      .select('i.id', 'id')
      .where("i.vm_state = 'building' OR i.task_state IS NOT NULL OR (i.vm_state = 'error' AND i.released = 0)")
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  async getOperation(id: string): Promise<OperationRecord | null> {
    const row = await this.m.findOneBy(OperationRow, { id });
    return row
      ? {
          id: row.id,
          projectId: row.projectId,
          kind: row.kind,
          instanceIds: row.instanceIds,
          volumeIds: row.volumeIds ?? [],
          snapshotIds: row.snapshotIds ?? [],
          createdAt: row.createdAt,
        }
      : null;
  }

  async getPort(id: string) {
    const row = await this.m.findOneBy(PortRow, { id });
    return row ? toPort(row) : null;
  }

  async listPorts(projectId: string | null, page: PageRequest): Promise<Page<PortView>> {
    const cursor = decodeCursor(page.cursor);
    const rows = await this.m.find(PortRow, {
      where: { ...(projectId ? { projectId } : {}), ...(cursor ? { id: MoreThan(cursor) } : {}) },
      order: { id: 'ASC' },
      take: page.limit + 1,
    });
    return toPage(rows, page, toPort);
  }

  async listPortsOnHost(hostId: string): Promise<PortView[]> {
    return (await this.m.find(PortRow, { where: { hostId }, order: { id: 'ASC' } })).map(toPort);
  }

  async listPortsInSecurityGroup(securityGroupId: string): Promise<PortView[]> {
    // The groups are a JSON array of ids; ids hold no quotes, so a quoted match is exact.
    const rows = await this.m
      .createQueryBuilder(PortRow, 'p')
      .where('p.security_groups LIKE :pattern', { pattern: `%"${securityGroupId}"%` })
      .orderBy('p.id')
      .getMany();
    return rows.map(toPort);
  }
}
