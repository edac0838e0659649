import { InstanceFilter, InstanceReadModel, InstanceView, OperationRecord } from '../../../application/compute/ports/instance-read-model.port';
import { Page, PageRequest } from '../../../application/shared/paging';
import { userState } from '../../../domain/compute/instance/instance-states';
import { Database } from '../../persistence/database';
import { toPage } from '../../persistence/paging';
import { InstanceRow, OperationRow } from './instance.tables';

const toInstance = (r: InstanceRow): InstanceView => ({
  id: r.id,
  name: r.name,
  projectId: r.projectId,
  flavor: r.flavor,
  image: r.imageId,
  keyName: r.keyName,
  securityGroups: r.securityGroups,
  zone: r.zone,
  metadata: r.metadata,
  tags: r.tags,
  state: userState(r.vmState, r.taskState),
  taskState: r.taskState,
  powerState: r.powerState,
  host: r.hostId,
  addresses: r.addresses,
  volumes: r.volumes,
  failure: r.failure,
  released: r.released === 1,
  retrying: r.retrying,
  operationId: r.operationId,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/** vm/task states behind each user-facing state, as SQL. */
const STATE_FILTERS: Record<string, string> = {
  pending: "(vm_state = 'building' OR task_state = 'powering_on')",
  active: "vm_state = 'active' AND task_state IS NULL",
  stopping: "task_state = 'powering_off'",
  stopped: "vm_state = 'stopped' AND task_state IS NULL",
  rebooting: "task_state IN ('rebooting', 'rebooting_hard')",
  deleting: "task_state = 'deleting'",
  deleted: "vm_state = 'deleted'",
  error: "vm_state = 'error' AND (task_state IS NULL OR task_state <> 'deleting')",
};

export class SqlInstanceReadModel implements InstanceReadModel {
  constructor(private readonly db: Database) {}

  async getInstance(id: string) {
    const row = await this.db.table(InstanceRow).first('id = ?', [id]);
    return row ? toInstance(row) : null;
  }

  async listInstances(projectId: string | null, filter: InstanceFilter, page: PageRequest): Promise<Page<InstanceView>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const and = (condition: string, ...values: unknown[]) => {
      where.push(condition);
      params.push(...values);
    };
    if (projectId) and('project_id = ?', projectId);
    if (filter.state && STATE_FILTERS[filter.state]) and(STATE_FILTERS[filter.state]);
    if (filter.state !== 'deleted' && filter.deletedSince) and("(vm_state <> 'deleted' OR updated_at >= ?)", filter.deletedSince);
    else if (filter.state !== 'deleted') and("vm_state <> 'deleted'");
    if (filter.name) and('name = ?', filter.name);
    if (filter.host) and('host_id = ?', filter.host);
    // The networks are a JSON array of ids; ids hold no quotes, so a quoted match is exact.
    if (filter.network) and('networks LIKE ?', `%"${filter.network}"%`);
    const rows = await this.db.table(InstanceRow).page(page, { where: where.join(' AND ') || undefined, params });
    return toPage(rows, page, toInstance);
  }

  async getInstances(ids: string[]) {
    if (ids.length === 0) return [];
    return (await this.db.table(InstanceRow).byKeys(ids)).map(toInstance);
  }

  async listOnHost(hostId: string) {
    return (await this.db.table(InstanceRow).find({ where: "host_id = ? AND vm_state <> 'deleted'", params: [hostId] })).map(toInstance);
  }

  async listUnfinished(): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      "SELECT id FROM rm_instances WHERE vm_state = 'building' OR task_state IS NOT NULL OR (vm_state = 'error' AND released = 0)",
    );
    return rows.map((r) => r.id);
  }

  async getOperation(id: string): Promise<OperationRecord | null> {
    const row = await this.db.table(OperationRow).first('id = ?', [id]);
    return row ? { ...row } : null;
  }
}
