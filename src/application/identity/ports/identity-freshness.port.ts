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

/**
 * Looks something up, and if it is not found, looks once more after refreshing this region's copy
 * of identity (if the shared identity cannot be reached, what this region already holds decides).
 */
export async function lookUpFresh<T>(freshness: IdentityFreshness, lookUp: () => Promise<T | null>): Promise<T | null> {
  const found = await lookUp();
  if (found) return found;
  const refreshed = await freshness.refresh().catch(() => false);
  return refreshed ? lookUp() : null;
}
