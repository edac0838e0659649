import { RootVolumeChoice } from '../../../domain/compute/instance/instance.events';
import { LaunchRequest, MAX_INSTANCES_PER_REQUEST } from '../../../application/compute/provisioning/launch-instances.command';
import { invalid } from '../../../domain/shared/domain-error';
import { NAME_MESSAGE, NAME_PATTERN } from '../../http/shared/common.dto';
import { Microversion } from './nova-microversion';
import { isObject } from '../shared/openstack-body';

/** What a Nova create asks for, before the networks `auto` or none are resolved to the project's network. */
export type NovaLaunch = Omit<LaunchRequest, 'networks'> & { networks: LaunchRequest['networks'] | 'auto' };

const bad = (message: string) => invalid('BadRequest', `Invalid input for field/attribute server. ${message}`);

function stringField(server: Record<string, unknown>, field: string, max = 255): string | undefined {
  const value = server[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > max) throw bad(`${field} must be a string of 1 to ${max} characters`);
  return value;
}

/** A flavor or image reference: an id, or a link whose last segment is the id (as Nova accepts). */
const referenceOf = (value: string) => value.replace(/\/+$/, '').split('/').pop() as string;

function countField(server: Record<string, unknown>, field: string): number | undefined {
  const value = server[field];
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_INSTANCES_PER_REQUEST) {
    throw bad(`${field} must be an integer from 1 to ${MAX_INSTANCES_PER_REQUEST}`);
  }
  return n;
}

function networksOf(value: unknown, version: Microversion): NovaLaunch['networks'] {
  if (value === undefined) {
    if (version >= 37) throw bad("'networks' is a required property");
    return 'auto';
  }
  if (value === 'auto') return 'auto';
  if (value === 'none') throw bad('A server here needs a network: networks "none" is not supported');
  if (!Array.isArray(value) || value.length === 0 || value.length > 8) throw bad('networks must list 1 to 8 networks, or be "auto"');
  return value.map((n, i) => {
    if (!isObject(n)) throw bad(`networks[${i}] must be an object`);
    if (n.port !== undefined && n.port !== null) {
      if (typeof n.port !== 'string' || n.port.length === 0) throw bad(`networks[${i}].port must be a port id`);
      return { port: n.port };
    }
    if (typeof n.uuid !== 'string' || n.uuid.length === 0) throw bad(`networks[${i}].uuid is required`);
    const fixed = n.fixed_ip;
    if (fixed !== undefined && (typeof fixed !== 'string' || !/^\d{1,3}(\.\d{1,3}){3}$/.test(fixed)))
      throw bad(`networks[${i}].fixed_ip must be an IPv4 address`);
    return { network: n.uuid, ...(fixed !== undefined ? { ip: fixed as string } : {}) };
  });
}

function userDataOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > 87_384 || !/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(value)) throw bad('user_data must be base64');
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  if (decoded.length > 65_536) throw bad('user_data must decode to at most 64 KiB');
  return decoded;
}

function securityGroupsOf(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > 10) throw bad('security_groups must list at most 10 groups');
  return value.map((g, i) => {
    if (!isObject(g) || typeof g.name !== 'string' || g.name.length === 0 || g.name.length > 64) throw bad(`security_groups[${i}].name is required`);
    return g.name;
  });
}

/** A metadata object: string values only (limits are the domain's). */
export function metadataOf(value: unknown, field: string): Record<string, string> {
  if (!isObject(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw invalid('BadRequest', `Invalid input for field/attribute ${field}: an object of strings is expected`);
  }
  return value as Record<string, string>;
}

/**
 * A block_device_mapping_v2 that boots from a volume: one entry, boot_index 0, destination a volume,
 * made from an image (`volume_size` GiB) or an existing volume; `delete_on_termination` as Nova
 * (default false). Other mappings (extra disks, blank, snapshot, local) are refused with 400.
 */
function bootVolumeOf(value: unknown): { imageId?: string; rootVolume: RootVolumeChoice } | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length !== 1 || !isObject(value[0])) throw bad('block_device_mapping_v2: exactly one boot volume is supported');
  const m = value[0];
  if (String(m.boot_index ?? '0') !== '0' || m.destination_type !== 'volume')
    throw bad('block_device_mapping_v2: the one mapping must be the boot volume (boot_index 0, destination_type volume)');
  if (typeof m.uuid !== 'string' || m.uuid.length === 0) throw bad('block_device_mapping_v2: uuid is required');
  const deleteOnTermination = m.delete_on_termination === true || m.delete_on_termination === 'true' || m.delete_on_termination === 'True';
  if (m.source_type === 'volume') return { rootVolume: { volumeId: m.uuid, deleteOnTermination } };
  if (m.source_type !== 'image') throw bad(`block_device_mapping_v2: source_type ${String(m.source_type)} is not supported (image or volume)`);
  const size = typeof m.volume_size === 'string' && /^\d{1,5}$/.test(m.volume_size) ? Number(m.volume_size) : m.volume_size;
  if (size !== undefined && (typeof size !== 'number' || !Number.isInteger(size) || size < 1))
    throw bad('block_device_mapping_v2: volume_size must be a positive integer');
  return { imageId: m.uuid, rootVolume: { ...(size !== undefined ? { sizeGiB: size as number } : {}), deleteOnTermination } };
}

/** `{"server": {...}}` of `POST /servers`, read and checked (400 for anything we cannot do as asked). */
export function parseServerCreate(body: unknown, version: Microversion): NovaLaunch {
  const server = isObject(body) ? body.server : undefined;
  if (!isObject(server)) throw invalid('BadRequest', 'Expected {"server": {...}}');
  const name = stringField(server, 'name');
  if (name === undefined) throw bad("'name' is a required property");
  if (!NAME_PATTERN.test(name)) throw bad(`name ${NAME_MESSAGE}`);
  if (server.block_device_mapping !== undefined) throw bad('Block device mappings v1 are not supported; use block_device_mapping_v2');
  const boot = bootVolumeOf(server.block_device_mapping_v2);
  // Booting from an existing volume, clients send imageRef "" (or none): the volume's image is used.
  const imageRef = boot ? (boot.imageId ?? '') : stringField(server, 'imageRef');
  if (imageRef === undefined) throw bad("'imageRef' is a required property");
  const flavorRef = server.flavorRef;
  if ((typeof flavorRef !== 'string' && typeof flavorRef !== 'number') || String(flavorRef).length === 0) throw bad("'flavorRef' is a required property");
  if (server.personality !== undefined && (version >= 57 || !(Array.isArray(server.personality) && server.personality.length === 0))) {
    throw bad('File injection (personality) is not supported');
  }
  if (server.tags !== undefined && (version < 52 || !Array.isArray(server.tags) || server.tags.some((t) => typeof t !== 'string'))) {
    throw bad(version < 52 ? "Additional properties are not allowed ('tags' was unexpected)" : 'tags must be a list of strings');
  }
  if (server.trusted_image_certificates !== undefined && server.trusted_image_certificates !== null) throw bad('Trusted image certificates are not supported');
  const zone = stringField(server, 'availability_zone')?.split(':')[0];
  const minCount = countField(server, 'min_count');
  const maxCount = countField(server, 'max_count');
  if (minCount !== undefined && maxCount !== undefined && minCount > maxCount) throw bad('min_count must be <= max_count');
  return {
    name,
    flavor: referenceOf(String(flavorRef)),
    image: boot?.rootVolume.volumeId ? '' : referenceOf(imageRef),
    ...(boot ? { rootVolume: boot.rootVolume } : {}),
    networks: networksOf(server.networks, version),
    keyName: stringField(server, 'key_name'),
    userData: userDataOf(server.user_data),
    securityGroups: securityGroupsOf(server.security_groups),
    metadata: server.metadata === undefined ? undefined : metadataOf(server.metadata, 'metadata'),
    tags: server.tags as string[] | undefined,
    ...(zone ? { zone } : {}),
    minCount,
    maxCount: maxCount ?? minCount,
  };
}
