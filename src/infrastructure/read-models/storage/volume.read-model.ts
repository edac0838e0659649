import { Page, PageRequest } from '../../../application/shared/paging';
import { SnapshotView, VolumeReadModel, VolumeView } from '../../../application/storage/ports/volume-read-model.port';
import { Database } from '../../persistence/database';
import { toPage } from '../../persistence/paging';
import { SnapshotRow, VolumeRow } from './volume.tables';

const toVolume = (r: VolumeRow): VolumeView => ({ ...r });

export class SqlVolumeReadModel implements VolumeReadModel {
  constructor(private readonly db: Database) {}

  async getVolume(id: string) {
    const row = await this.db.table(VolumeRow).first('id = ?', [id]);
    return row ? toVolume(row) : null;
  }

  async listVolumes(projectId: string | null, page: PageRequest): Promise<Page<VolumeView>> {
    const query = projectId ? { where: "status <> 'deleted' AND project_id = ?", params: [projectId] } : { where: "status <> 'deleted'" };
    return toPage(await this.db.table(VolumeRow).page(page, query), page, toVolume);
  }

  async listAttachedTo(instanceId: string) {
    const rows = await this.db.table(VolumeRow).find({ where: "instance_id = ? AND status IN ('attaching', 'in-use', 'detaching')", params: [instanceId] });
    return rows.map(toVolume);
  }

  async listUnfinished() {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM rm_volumes WHERE boot_for IS NULL AND status IN ('creating', 'attaching', 'detaching', 'extending', 'deleting')
       UNION SELECT volume_id AS id FROM rm_snapshots WHERE status IN ('creating', 'deleting')`,
    );
    return rows.map((r) => r.id);
  }

  async getSnapshot(id: string): Promise<SnapshotView | null> {
    const row = await this.db.table(SnapshotRow).first('id = ?', [id]);
    return row ? { ...row } : null;
  }

  async listProjectSnapshots(projectId: string | null, page: PageRequest): Promise<Page<SnapshotView>> {
    const query = projectId ? { where: "status <> 'deleted' AND project_id = ?", params: [projectId] } : { where: "status <> 'deleted'" };
    return toPage(await this.db.table(SnapshotRow).page(page, query), page, (r) => ({ ...r }));
  }

  async listSnapshots(volumeId: string, page: PageRequest): Promise<Page<SnapshotView>> {
    const rows = await this.db.table(SnapshotRow).page(page, { where: "volume_id = ? AND status <> 'deleted'", params: [volumeId] });
    return toPage(rows, page, (r) => ({ ...r }));
  }
}
