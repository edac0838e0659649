/**
 * Ids of what an instance creates, derived from the instance id: a step that is retried after a
 * crash creates the same port or volume again (a no-op) instead of a second one that nobody owns.
 */
const suffix = (instanceId: string) => instanceId.replace(/^inst-/, '');

export const portIdFor = (instanceId: string, nicIndex: number) => `port-${suffix(instanceId)}-${nicIndex}`;
export const rootVolumeIdFor = (instanceId: string) => `vol-${suffix(instanceId)}-root`;
