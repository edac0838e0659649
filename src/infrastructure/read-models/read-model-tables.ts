import { CheckpointRow } from '../projections/checkpoint.table';
import { COMPUTE_TABLES } from './compute/compute.tables';
import { INSTANCE_TABLES } from './compute/instance.tables';
import { IDENTITY_TABLES } from './identity/identity.tables';
import { NETWORK_TABLES } from './network/network.tables';
import { VOLUME_TABLES } from './storage/volume.tables';

/** Every read-model table: declared once, beside its projection; created from these declarations (see read-model-schema.ts). */
export const READ_MODEL_TABLES = [CheckpointRow, ...IDENTITY_TABLES, ...COMPUTE_TABLES, ...INSTANCE_TABLES, ...NETWORK_TABLES, ...VOLUME_TABLES];
