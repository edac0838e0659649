import { NetworkRequest } from '../../../domain/compute/instance/instance.events';

/**
 * Ids of what an instance creates, derived from the instance id: a step that is retried after a
 * crash creates the same port or volume again (a no-op) instead of a second one that nobody owns.
 */
const suffix = (instanceId: string) => instanceId.replace(/^inst-/, '');

export const portIdFor = (instanceId: string, nicIndex: number) => `port-${suffix(instanceId)}-${nicIndex}`;

/** An instance's ports as it asked for them: each its own (derived id), or one made beforehand (kept when the instance goes). */
export const portsOf = (instanceId: string, networks: readonly NetworkRequest[]) =>
  networks.map((n, i) => ({
    portId: n.portId ?? portIdFor(instanceId, i),
    networkId: n.networkId,
    existing: n.portId !== undefined,
    ...(n.ip !== undefined ? { ip: n.ip } : {}),
  }));
export const rootVolumeIdFor = (instanceId: string) => `vol-${suffix(instanceId)}-root`;
