import { NewImage } from '../../../application/compute/commands/create-image.command';
import { invalid } from '../../../domain/shared/domain-error';
import { NAME_MESSAGE, NAME_PATTERN } from '../../http/shared/common.dto';
import { isObject } from '../shared/openstack-body';

const DISK_FORMATS = ['qcow2', 'raw', 'vmdk', 'vdi', 'vhd', 'vhdx', 'iso', 'ami', 'ari', 'aki', 'ploop'];
const CONTAINER_FORMATS = ['bare', 'ovf', 'ova', 'aki', 'ari', 'ami', 'docker', 'compressed'];

const bad = (message: string) => invalid('BadRequest', message);

/**
 * `POST /v2/images`, read. Glance's own fields are checked; extra properties (the SDK sends its
 * `owner_specified.openstack.*` digests) are accepted and not kept.
 */
export function parseImageCreate(body: unknown): NewImage {
  if (!isObject(body)) throw bad('Expected an image object');
  const { name, disk_format, container_format, min_disk, tags, visibility, os_distro } = body;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) throw bad(`name ${NAME_MESSAGE}`);
  const diskFormat = disk_format ?? 'qcow2';
  if (typeof diskFormat !== 'string' || !DISK_FORMATS.includes(diskFormat)) throw bad(`disk_format must be one of ${DISK_FORMATS.join(', ')}`);
  const containerFormat = container_format ?? 'bare';
  if (typeof containerFormat !== 'string' || !CONTAINER_FORMATS.includes(containerFormat))
    throw bad(`container_format must be one of ${CONTAINER_FORMATS.join(', ')}`);
  if (min_disk !== undefined && (typeof min_disk !== 'number' || !Number.isInteger(min_disk) || min_disk < 0))
    throw bad('min_disk must be a non-negative integer');
  if (tags !== undefined && (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string'))) throw bad('tags must be a list of strings');
  if (visibility !== undefined && visibility !== 'public') throw bad('Only public images exist here (visibility "public")');
  if (os_distro !== undefined && (typeof os_distro !== 'string' || os_distro.length > 64)) throw bad('os_distro must be a string');
  return {
    name,
    os: (os_distro as string | undefined) ?? 'linux',
    minDiskGiB: (min_disk as number | undefined) ?? 0,
    diskFormat,
    containerFormat,
    tags: (tags as string[] | undefined) ?? [],
  };
}

/**
 * The tags an image should have after a JSON patch (`application/openstack-images-v2.1-json-patch`).
 * Only tags can change here; a patch of any other property is refused whole.
 */
export function tagsAfterPatch(current: readonly string[], body: unknown): string[] {
  if (!Array.isArray(body)) throw bad('Expected a JSON patch: a list of operations');
  let tags = [...current];
  for (const op of body) {
    if (!isObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') throw bad('Each patch operation needs op and path');
    if (op.path !== '/tags') throw bad(`Only /tags can be changed here, not ${op.path}`);
    if (op.op === 'remove') tags = [];
    else if (op.op === 'add' || op.op === 'replace') {
      if (!Array.isArray(op.value) || op.value.some((t) => typeof t !== 'string')) throw bad('/tags takes a list of strings');
      tags = [...new Set(op.value as string[])];
    } else throw bad(`Unsupported patch operation ${op.op}`);
  }
  return tags;
}
