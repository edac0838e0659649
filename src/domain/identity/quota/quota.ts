import { invalid } from '../../shared/domain-error';

export const QUOTA_RESOURCES = ['instances', 'vcpus', 'ramMiB', 'volumes', 'volumeGiB', 'networks', 'floatingIps'] as const;
export type QuotaResource = (typeof QUOTA_RESOURCES)[number];

/** A limit per resource; -1 means unlimited (as in Nova). */
export type Quotas = Readonly<Record<QuotaResource, number>>;
export type Amounts = Readonly<Partial<Record<QuotaResource, number>>>;

export const UNLIMITED = -1;
export const MAX_QUOTA_LIMIT = 1_000_000_000;

/** Defaults follow Nova/Cinder/Neutron defaults where they exist. */
export const DEFAULT_QUOTAS: Quotas = {
  instances: 10,
  vcpus: 20,
  ramMiB: 51_200,
  volumes: 10,
  volumeGiB: 1_000,
  networks: 10,
  floatingIps: 10,
};

export const zeroUsage = (): Record<QuotaResource, number> => ({
  instances: 0,
  vcpus: 0,
  ramMiB: 0,
  volumes: 0,
  volumeGiB: 0,
  networks: 0,
  floatingIps: 0,
});

const isLimit = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= UNLIMITED && (n as number) <= MAX_QUOTA_LIMIT;

/** Drops entries that are present but undefined (`Partial` allows them; they mean "not given"). */
const given = (amounts: Amounts) => Object.entries(amounts).filter(([, value]) => value !== undefined);

export function mergeQuotas(base: Quotas, patch: Amounts): Quotas {
  const entries = given(patch);
  const details = entries
    .filter(([key, value]) => !QUOTA_RESOURCES.includes(key as QuotaResource) || !isLimit(value))
    .map(([key]) => ({ field: `quotas.${key}`, message: `must be an integer from -1 (unlimited) to ${MAX_QUOTA_LIMIT}` }));
  if (details.length > 0) throw invalid('InvalidQuota', 'Invalid quota values', details);
  return { ...base, ...Object.fromEntries(entries) };
}

export function validateAmounts(amounts: Amounts): void {
  const details = given(amounts)
    .filter(([key, value]) => !QUOTA_RESOURCES.includes(key as QuotaResource) || !Number.isInteger(value) || (value as number) < 0)
    .map(([key]) => ({ field: key, message: 'must be a non-negative integer' }));
  if (details.length > 0) throw invalid('InvalidQuotaAmount', 'Invalid reservation amounts', details);
}

/** Resources whose usage plus the requested amounts would exceed their limit. */
export function exceededResources(quotas: Quotas, usage: Readonly<Record<QuotaResource, number>>, amounts: Amounts): QuotaResource[] {
  return QUOTA_RESOURCES.filter((r) => {
    const wanted = amounts[r] ?? 0;
    return wanted > 0 && quotas[r] !== UNLIMITED && usage[r] + wanted > quotas[r];
  });
}

export function addAmounts(usage: Readonly<Record<QuotaResource, number>>, amounts: Amounts, sign: 1 | -1): Record<QuotaResource, number> {
  const next = { ...usage };
  for (const r of QUOTA_RESOURCES) next[r] = Math.max(0, next[r] + sign * (amounts[r] ?? 0));
  return next;
}

/** How many reservations of `per` the quotas hold beside the usage (unlimited resources do not count). */
export function howManyFit(quotas: Quotas, usage: Readonly<Record<QuotaResource, number>>, per: Amounts): number {
  let fit = Number.MAX_SAFE_INTEGER;
  for (const r of QUOTA_RESOURCES) {
    const need = per[r] ?? 0;
    if (need === 0 || quotas[r] === UNLIMITED) continue;
    fit = Math.min(fit, Math.floor(Math.max(0, quotas[r] - usage[r]) / need));
  }
  return fit;
}
