import { VolumeView } from './ports/volume-read-model.port';

/** The answer to an asynchronous volume request: its operation and the volume as it stands. */
export type VolumeAccepted = { operation: { id: string; status: 'running'; kind: string }; volume: VolumeView | { id: string; status: string } };
