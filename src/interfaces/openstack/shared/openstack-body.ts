/** A JSON object (not an array, not null): what every OpenStack request body and its members are checked to be. */
export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Devices by path (`/dev/vdb`), as Nova and Cinder name them; ours are named (`vdb`). */
export const devicePath = (device: string | null) => (device === null || device.startsWith('/dev/') ? device : `/dev/${device}`);
