import { MAX_VOLUME_GIB } from '../../../domain/storage/volume/volume.decider';
import { invalid } from '../../../domain/shared/domain-error';
import { NAME_MESSAGE, NAME_PATTERN } from '../../http/shared/common.dto';
import { isObject } from '../shared/openstack-body';
import { DEFAULT_VOLUME_TYPE } from './cinder-views';

const bad = (message: string) => invalid('BadRequest', `Invalid input for field/attribute volume. ${message}`);
const empty = (v: unknown) => v === undefined || v === null || v === '';

/** `{"volume": {...}}` of `POST /volumes`: a blank volume, or one restored from a snapshot (400 for what we cannot do as asked). */
export function parseVolumeCreate(body: unknown): { name: string; sizeGiB: number; snapshotId: string | null } {
  const volume = isObject(body) ? body.volume : undefined;
  if (!isObject(volume)) throw invalid('BadRequest', 'Expected {"volume": {...}}');
  const size = typeof volume.size === 'string' && /^\d{1,6}$/.test(volume.size) ? Number(volume.size) : volume.size;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > MAX_VOLUME_GIB)
    throw bad(`size must be an integer from 1 to ${MAX_VOLUME_GIB}`);
  const name = empty(volume.name) ? 'volume' : volume.name;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) throw bad(`name ${NAME_MESSAGE}`);
  if (!empty(volume.description)) throw bad('Descriptions are not kept here; leave description out');
  if (!empty(volume.imageRef) || !empty(volume.source_volid) || !empty(volume.backup_id))
    throw bad('Volumes from images, volumes or backups are not supported; from a snapshot they are');
  if (!empty(volume.volume_type) && volume.volume_type !== DEFAULT_VOLUME_TYPE.name && volume.volume_type !== DEFAULT_VOLUME_TYPE.id) {
    throw bad(`The only volume type is ${DEFAULT_VOLUME_TYPE.name}`);
  }
  if (volume.metadata !== undefined && !(isObject(volume.metadata) && Object.keys(volume.metadata).length === 0)) throw bad('Volume metadata is not supported');
  if (volume.multiattach === true) throw bad('Multi-attach volumes are not supported');
  const snapshotId = empty(volume.snapshot_id) ? null : volume.snapshot_id;
  if (snapshotId !== null && typeof snapshotId !== 'string') throw bad('snapshot_id must be a snapshot id');
  return { name, sizeGiB: size, snapshotId };
}
