import { createHash } from 'node:crypto';

/**
 * Ids of what an instance creates, derived from the instance id: a step that is retried after a
 * crash creates the same port or volume again (a no-op) instead of a second one that nobody owns.
 */
const suffix = (instanceId: string) => instanceId.replace(/^inst-/, '');

export const portIdFor = (instanceId: string, nicIndex: number) => `port-${suffix(instanceId)}-${nicIndex}`;
export const rootVolumeIdFor = (instanceId: string) => `vol-${suffix(instanceId)}-root`;

/** A locally administered MAC in OpenStack's fa:16:3e prefix, stable for a port. */
export function macFor(portId: string): string {
  const bytes = createHash('sha256').update(portId).digest().subarray(0, 3);
  return ['fa', '16', '3e', ...[...bytes].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}
