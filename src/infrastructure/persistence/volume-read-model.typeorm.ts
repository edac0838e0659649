import { In, MoreThan, Not } from 'typeorm';
import { Page, PageRequest } from '../../application/identity/identity-read-model.port';
import { VolumeReadModel, VolumeView } from '../../application/storage/volume-read-model.port';
import { Database } from './database';
import { decodeCursor, toPage } from './paging';
import { VolumeRow } from './read-model.entities';

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
    return rows.filter((r) => r.bootFor === null).map((r) => r.id);
  }
}
