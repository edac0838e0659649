import { SnapshotView, VolumeView } from '../../../application/storage/ports/volume-read-model.port';
import { VolumeMicroversion } from './cinder-microversion';
import { devicePath } from '../shared/openstack-body';

/** Cinder's one volume type here: the block storage the orchestrator was configured with. */
export const DEFAULT_VOLUME_TYPE = { id: 'default', name: '__DEFAULT__', description: 'The block storage of this cloud', is_public: true, extra_specs: {} };

/** A server's root disk is in use by it for as long as it stands (our root volumes keep the status they were made with). */
const statusOf = (v: VolumeView) => (v.bootFor && v.status === 'available' ? 'in-use' : v.status);

function attachmentsOf(v: VolumeView) {
  const serverId = v.bootFor ?? v.instanceId;
  if (!serverId || !['in-use', 'detaching'].includes(statusOf(v))) return [];
  return [
    {
      id: v.id,
      attachment_id: v.id,
      volume_id: v.id,
      server_id: serverId,
      host_name: null,
      device: devicePath(v.bootFor ? 'vda' : v.device),
      attached_at: v.updatedAt,
    },
  ];
}

/** A volume as Cinder v3 shows it: our statuses are Cinder's; a server's root disk is a bootable volume attached as vda. */
export function cinderVolume(v: VolumeView, base: string, version: VolumeMicroversion) {
  return {
    id: v.id,
    name: v.name,
    status: statusOf(v),
    size: v.sizeGiB,
    availability_zone: 'nova',
    created_at: v.createdAt,
    updated_at: v.updatedAt,
    attachments: attachmentsOf(v),
    description: v.description || null,
    volume_type: DEFAULT_VOLUME_TYPE.name,
    snapshot_id: null,
    source_volid: null,
    bootable: v.bootFor || v.sourceImageId ? 'true' : 'false',
    encrypted: false,
    multiattach: false,
    metadata: v.metadata,
    user_id: null,
    consistencygroup_id: null,
    replication_status: null,
    migration_status: null,
    'os-vol-tenant-attr:tenant_id': v.projectId,
    links: [{ rel: 'self', href: `${base}/volume/v3/${v.projectId}/volumes/${v.id}` }],
    ...(version >= 13 ? { group_id: null } : {}),
    ...(version >= 48 ? { shared_targets: false, service_uuid: null } : {}),
  };
}

export const cinderSnapshot = (s: SnapshotView) => ({
  id: s.id,
  name: s.name,
  status: s.status,
  size: s.sizeGiB,
  volume_id: s.volumeId,
  description: null,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
  metadata: s.metadata,
  'os-extended-snapshot-attributes:project_id': s.projectId,
  'os-extended-snapshot-attributes:progress': s.status === 'available' ? '100%' : '0%',
});
