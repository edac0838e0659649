import { SnapshotView, VolumeView } from '../../application/storage/ports/volume-read-model.port';
import { ec2IdOf } from './ec2-ids';
import { DEFAULT_ZONE, tagSetOf } from './ec2-instance-view';
import { XmlObject } from './ec2-xml';

const ATTACHED: Record<string, string> = { attaching: 'attaching', 'in-use': 'attached', detaching: 'detaching', extending: 'attached' };

/** EC2's volume state: a volume being attached or detached is in use, its attachment says how far. */
export function volumeStateOf(v: VolumeView): string {
  if (v.instanceId && ATTACHED[v.status]) return 'in-use';
  if (v.status === 'extending') return 'available';
  return ['creating', 'available', 'deleting', 'deleted', 'error'].includes(v.status) ? v.status : 'creating';
}

export function volumeItem(v: VolumeView): XmlObject & { attachmentSet: XmlObject[] } {
  return {
    volumeId: ec2IdOf('volume', v.id),
    size: v.sizeGiB,
    snapshotId: '',
    availabilityZone: DEFAULT_ZONE,
    status: volumeStateOf(v),
    createTime: v.createdAt,
    attachmentSet: v.instanceId
      ? [
          {
            volumeId: ec2IdOf('volume', v.id),
            instanceId: ec2IdOf('instance', v.instanceId),
            device: v.device ?? '',
            status: ATTACHED[v.status] ?? 'attached',
            attachTime: v.updatedAt,
            deleteOnTermination: false,
          },
        ]
      : [],
    volumeType: 'standard',
    encrypted: false,
    multiAttachEnabled: false,
    tagSet: tagSetOf(v.metadata),
  };
}

const SNAPSHOT_STATES: Record<string, string> = { creating: 'pending', available: 'completed', error: 'error', deleting: 'completed' };
export const snapshotStateOf = (s: SnapshotView) => SNAPSHOT_STATES[s.status] ?? 'pending';

export function snapshotItem(s: SnapshotView): XmlObject {
  return {
    snapshotId: ec2IdOf('snapshot', s.id),
    volumeId: ec2IdOf('volume', s.volumeId),
    status: snapshotStateOf(s),
    statusMessage: s.failure ?? undefined,
    startTime: s.createdAt,
    progress: snapshotStateOf(s) === 'completed' ? '100%' : '0%',
    ownerId: s.projectId,
    volumeSize: s.sizeGiB,
    description: s.name,
    encrypted: false,
    storageTier: 'standard',
    tagSet: tagSetOf(s.metadata),
  };
}
