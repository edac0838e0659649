/**
 * Brings this region's copy of the shared identity up to date, read models included: asked when a
 * token or access key is unknown here, which may mean only that another region issued it a moment
 * ago. Nothing to do when identity lives in this region's own store.
 */
export interface IdentityFreshness {
  /** False when there was nothing to refresh from (identity is this region's own). */
  refresh(): Promise<boolean>;
}
export const IDENTITY_FRESHNESS = Symbol('IdentityFreshness');

export const ALREADY_FRESH: IdentityFreshness = { refresh: async () => false };
