import { MAX_VOLUME_GIB } from '../../../domain/storage/volume/volume.decider';
import { invalid } from '../../../domain/shared/domain-error';
import { NAME_MESSAGE, NAME_PATTERN } from '../../http/shared/common.dto';
import { isObject } from '../shared/openstack-body';
import { DEFAULT_VOLUME_TYPE } from './cinder-views';

const bad = (message: string) => invalid('BadRequest', `Invalid input for field/attribute volume. ${message}`);
const empty = (v: unknown) => v === undefined || v === null || v === '';

/** `{"volume": {...}}` of `POST /volumes`: a blank volume, one restored from a snapshot, or a bootable one from an image (400 for what we cannot do as asked). */
export function parseVolumeCreate(body: unknown): { name: string; sizeGiB: number; snapshotId: string | null; imageId: string | null; description: string } {
  const volume = isObject(body) ? body.volume : undefined;
  if (!isObject(volume)) throw invalid('BadRequest', 'Expected {"volume": {...}}');
  const size = typeof volume.size === 'string' && /^\d{1,6}$/.test(volume.size) ? Number(volume.size) : volume.size;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > MAX_VOLUME_GIB)
    throw bad(`size must be an integer from 1 to ${MAX_VOLUME_GIB}`);
  const name = empty(volume.name) ? 'volume' : volume.name;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) throw bad(`name ${NAME_MESSAGE}`);
  const description = descriptionOf(volume.description);
  if (!empty(volume.source_volid) || !empty(volume.backup_id))
    throw bad('Volumes from volumes or backups are not supported; from a snapshot or an image they are');
  const imageId = empty(volume.imageRef) ? null : volume.imageRef;
  if (imageId !== null && typeof imageId !== 'string') throw bad('imageRef must be an image id');
  if (!empty(volume.volume_type) && volume.volume_type !== DEFAULT_VOLUME_TYPE.name && volume.volume_type !== DEFAULT_VOLUME_TYPE.id) {
    throw bad(`The only volume type is ${DEFAULT_VOLUME_TYPE.name}`);
  }
  if (volume.metadata !== undefined && !(isObject(volume.metadata) && Object.keys(volume.metadata).length === 0)) throw bad('Volume metadata is not supported');
  if (volume.multiattach === true) throw bad('Multi-attach volumes are not supported');
  const snapshotId = empty(volume.snapshot_id) ? null : volume.snapshot_id;
  if (snapshotId !== null && typeof snapshotId !== 'string') throw bad('snapshot_id must be a snapshot id');
  return { name, sizeGiB: size, snapshotId, imageId, description };
}

/** A volume's description: up to 255 characters (null or absent: none). */
export function descriptionOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string' || value.length > 255) throw bad('description must be a string of at most 255 characters');
  return value;
}

/** `os-extend`'s new size: an integer (clients send it as a number or a string). */
export function newSizeOf(action: Record<string, unknown>): number {
  const raw = action.new_size;
  const size = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : raw;
  if (typeof size !== 'number' || !Number.isInteger(size)) throw invalid('BadRequest', 'os-extend needs new_size, an integer');
  return size;
}
