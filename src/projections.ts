import { computeProjection } from './infrastructure/projections/compute.projection';
import { identityProjection } from './infrastructure/projections/identity.projection';
import { instanceProjection } from './infrastructure/projections/instance.projection';
import { networkProjection } from './infrastructure/projections/network.projection';
import { Projection } from './infrastructure/projections/projection';
import { volumeProjection } from './infrastructure/projections/volume.projection';

/** Every projection of the read side, in the order they are started and replayed. */
export const PROJECTIONS: readonly Projection[] = [identityProjection, computeProjection, networkProjection, instanceProjection, volumeProjection];
