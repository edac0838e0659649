import { In, MoreThan, Not } from 'typeorm';
import { Page, PageRequest } from '../../../application/shared/paging';
import { SnapshotView, VolumeReadModel, VolumeView } from '../../../application/storage/ports/volume-read-model.port';
import { Database } from '../../persistence/database';
import { decodeCursor, toPage } from '../paging';
import { SnapshotRow, VolumeRow } from '../../persistence/read-model.entities';

const toVolume = (r: VolumeRow): VolumeView => ({ ...r });

export class TypeOrmVolumeReadModel implements VolumeReadModel {
  constructor(private readonly db: Database) {}

  async getVolume(id: string) {
    const row = await this.db.reader.manager.findOneBy(VolumeRow, { id });
    return row ? toVolume(row) : null;
  }

  async listVolumes(projectId: string | null, page: PageRequest): Promise<Page<VolumeView>> {
    const cursor = decodeCursor(page.cursor);
    const rows = await this.db.reader.manager.find(VolumeRow, {
      where: { status: Not('deleted'), ...(projectId ? { projectId } : {}), ...(cursor ? { id: MoreThan(cursor) } : {}) },
      order: { id: 'ASC' },
      take: page.limit + 1,
    });
    return toPage(rows, page, toVolume);
  }

  async listAttachedTo(instanceId: string) {
    return (await this.db.reader.manager.find(VolumeRow, { where: { instanceId, status: In(['attaching', 'in-use', 'detaching']) } })).map(toVolume);
  }

  async listUnfinished() {
    const rows = await this.db.reader.manager.find(VolumeRow, {
      select: { id: true, bootFor: true },
      where: { status: In(['creating', 'attaching', 'detaching', 'deleting']) },
    });
    const snapshotting = await this.db.reader.manager.find(SnapshotRow, { select: { volumeId: true }, where: { status: In(['creating', 'deleting']) } });
    return [...new Set([...rows.filter((r) => r.bootFor === null).map((r) => r.id), ...snapshotting.map((r) => r.volumeId)])];
  }

  async getSnapshot(id: string): Promise<SnapshotView | null> {
    const row = await this.db.reader.manager.findOneBy(SnapshotRow, { id });
    return row ? { ...row } : null;
  }

  async listSnapshots(volumeId: string, page: PageRequest): Promise<Page<SnapshotView>> {
    const cursor = decodeCursor(page.cursor);
    const rows = await this.db.reader.manager.find(SnapshotRow, {
      where: { volumeId, status: Not('deleted'), ...(cursor ? { id: MoreThan(cursor) } : {}) },
      order: { id: 'ASC' },
      take: page.limit + 1,
    });
    return toPage(rows, page, (r) => ({ ...r }));
  }
}
