import { computeProjection } from './compute/compute.projection';
import { identityProjection } from './identity/identity.projection';
import { instanceProjection } from './compute/instance.projection';
import { networkProjection } from './network/network.projection';
import { routerProjection } from './network/router.projection';
import { Projection } from '../projections/projection';
import { volumeProjection } from './storage/volume.projection';

/** Every projection of the read side, in the order they are started and replayed. */
export const PROJECTIONS: readonly Projection[] = [
  identityProjection,
  computeProjection,
  networkProjection,
  routerProjection,
  instanceProjection,
  volumeProjection,
];
