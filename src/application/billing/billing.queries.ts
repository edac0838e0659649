import { Inject, Injectable } from '@nestjs/common';
import { METERED_TYPES, MeterState, UsageRecord, splitByHour, totals, usageKey } from '../../domain/billing/meter';
import { HOUR_MS, isoToMillis, millisToIso } from '../../domain/shared/iso-time';
import { invalid, notFound } from '../../domain/shared/domain-error';
import { COMPUTE_READ_MODEL, ComputeReadModel } from '../compute/public';
import { assertAdmin } from '../identity/public';
import { CLOCK, Clock } from '../ports/clock.port';
import { EVENT_STORE, EventStore } from '../ports/event-store.port';
import { Principal, isAdmin } from '../shared/command-context';
import { meterAll } from './billing.consumer';
import { BILLING_STORE, BillingStore } from './ports/billing-store.port';
import { PRICE_SHEET, PriceSheet } from './price-sheet.settings';

export type UsageItem = UsageRecord & { unit: 'instance-hours' | 'GiB-hours' | 'ip-hours'; amount: number; open: boolean };

const UNITS = { instance: 'instance-hours', volume: 'GiB-hours', snapshot: 'GiB-hours', 'floating-ip': 'ip-hours' } as const;
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/** Metered usage and its price, and the check of billing against the log itself. */
@Injectable()
export class BillingQueries {
  constructor(
    @Inject(BILLING_STORE) private readonly store: BillingStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(COMPUTE_READ_MODEL) private readonly compute: ComputeReadModel,
    @Inject(PRICE_SHEET) private readonly prices: PriceSheet,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Usage per hour and resource between `from` and `to` (whole UTC hours; default: this month so
   * far), closed intervals as metered plus what running clocks add up to now, priced.
   */
  async usage(p: Principal, q: { project?: string; from?: string; to?: string }) {
    const projectId = isAdmin(p) ? (q.project ?? null) : (q.project ?? p.projectId);
    if (!isAdmin(p) && projectId !== p.projectId) throw notFound('ProjectNotFound', 'Project not found');
    const now = this.clock.now().getTime();
    const from = this.instant(q.from, 'from') ?? Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1);
    const to = this.instant(q.to, 'to') ?? now;
    if (to < from) throw invalid('InvalidRange', '`to` is before `from`', [{ field: 'to', message: 'before from' }]);
    const fromHour = millisToIso(from - (from % HOUR_MS));
    const toHour = millisToIso(to % HOUR_MS === 0 ? to : to - (to % HOUR_MS) + HOUR_MS);
    const closed = await this.store.usage({ projectId, fromHour, toHour });
    const open = (await this.store.clocks(projectId))
      .filter((c) => c.since !== null)
      .flatMap((c) => splitByHour(c, c.resourceId, c.since as string, millisToIso(Math.min(now, to))))
      .filter((u) => u.hour >= fromHour && u.hour < toHour);
    const openKeys = new Set(open.map(usageKey));
    const flavors = new Map((await this.compute.allFlavors()).map((f) => [f.id, f.name]));
    const items: UsageItem[] = [...totals([...closed, ...open]).values()].map((u) => ({
      ...u,
      unit: UNITS[u.meter],
      amount: round6((u.quantity / HOUR_MS) * this.rate(u, flavors)),
      open: openKeys.has(usageKey(u)),
    }));
    return {
      projectId,
      from: millisToIso(from),
      to: millisToIso(to),
      currency: this.prices.currency,
      items,
      total: round6(items.reduce((sum, i) => sum + i.amount, 0)),
    };
  }

  /**
   * Recomputes billing from the event log and compares it with what the consumer stored: every
   * usage record and every running clock. Equal once the consumer has caught up with the log.
   */
  async check(p: Principal) {
    assertAdmin(p);
    let state: MeterState = {};
    const usage: UsageRecord[] = [];
    let checked = 0;
    for (let after = 0; ;) {
      const batch = await this.events.readAll(after, 5_000, { types: [...METERED_TYPES] });
      if (batch.length === 0) break;
      const step = meterAll(state, batch);
      state = step.clocks;
      usage.push(...step.usage);
      checked += batch.length;
      after = batch[batch.length - 1].position;
    }
    const expected = totals(usage);
    const stored = totals(await this.store.usage({ projectId: null, fromHour: '0000', toHour: '9999' }));
    const differences: Array<{ key: string; expected: number; stored: number }> = [];
    for (const key of new Set([...expected.keys(), ...stored.keys()])) {
      const e = expected.get(key)?.quantity ?? 0;
      const s = stored.get(key)?.quantity ?? 0;
      if (e !== s) differences.push({ key, expected: e, stored: s });
    }
    const storedClocks = new Map((await this.store.clocks(null)).map(({ resourceId, ...c }) => [resourceId, c]));
    const clockDifferences = [...new Set([...Object.keys(state), ...storedClocks.keys()])].filter(
      (id) => JSON.stringify(state[id] ?? null) !== JSON.stringify(storedClocks.get(id) ?? null),
    );
    return {
      ok: differences.length === 0 && clockDifferences.length === 0,
      eventsRead: checked,
      records: expected.size,
      differences: differences.slice(0, 20),
      clockDifferences: clockDifferences.slice(0, 20),
    };
  }

  private rate(u: UsageRecord, flavors: Map<string, string>): number {
    if (u.meter === 'volume') return this.prices.volumeGiBHour;
    if (u.meter === 'snapshot') return this.prices.snapshotGiBHour;
    if (u.meter === 'floating-ip') return this.prices.floatingIpHour;
    const sheet = this.prices.instanceHour;
    return sheet[u.rateKey] ?? sheet[flavors.get(u.rateKey) ?? ''] ?? sheet.default ?? 0;
  }

  private instant(text: string | undefined, field: string): number | null {
    if (text === undefined) return null;
    const ms = isoToMillis(text);
    if (ms === null)
      throw invalid('InvalidTime', `${field} must be a UTC ISO time such as 2026-01-01T00:00:00.000Z`, [{ field, message: 'not a UTC ISO time' }]);
    return ms;
  }
}
