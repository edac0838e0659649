import { BillingStore, MeterStep, MeteredIntegrationEvent } from '../../application/billing/ports/billing-store.port';
import { Clock, MeterKind, MeterState, UsageRecord, totals } from '../../domain/billing/meter';
import { Database, Tx } from '../persistence/database';

type ClockRow = { resource_id: string; meter: string; project_id: string; rate_key: string; units: number | string; since: string | null };
type UsageRow = { project_id: string; hour: string; meter: string; resource_id: string; rate_key: string; quantity: number | string };

const CHUNK = 300;

/** Billing's tables (migration 013), written in one transaction per batch of events. */
export class SqlBillingStore implements BillingStore {
  constructor(private readonly db: Database) {}

  private p(n: number) {
    return this.db.param(n);
  }

  private list(values: readonly unknown[], offset = 0) {
    return values.map((_, i) => this.p(offset + i + 1)).join(', ');
  }

  async meterOnce(events: readonly MeteredIntegrationEvent[], resourceIds: readonly string[], step: MeterStep): Promise<number> {
    if (events.length === 0) return 0;
    return this.db.transaction(async (tx) => {
      const fresh = new Set<string>();
      for (let i = 0; i < events.length; i += CHUNK) {
        const ids = events.slice(i, i + CHUNK).map((e) => e.id);
        const rows = await tx.query<{ event_id: string }>(
          `INSERT INTO billing_metered (event_id) VALUES ${ids.map((_, j) => `(${this.p(j + 1)})`).join(', ')} ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
          ids,
        );
        for (const r of rows) fresh.add(r.event_id);
      }
      const news = events.filter((e) => fresh.has(e.id));
      if (news.length === 0) return 0;
      const before = await this.loadClocks(tx, resourceIds);
      const { clocks, usage } = step(before, news);
      await this.saveClocks(tx, before, clocks);
      await this.addUsage(tx, [...totals(usage).values()]);
      return news.length;
    });
  }

  async usage(filter: { projectId: string | null; fromHour: string; toHour: string }): Promise<UsageRecord[]> {
    const params: unknown[] = [filter.fromHour, filter.toHour];
    const project = filter.projectId ? ` AND project_id = ${this.p(params.push(filter.projectId))}` : '';
    const rows = await this.db.query<UsageRow>(
      `SELECT project_id, hour, meter, resource_id, rate_key, quantity FROM billing_usage
       WHERE hour >= ${this.p(1)} AND hour < ${this.p(2)}${project} ORDER BY project_id, hour, meter, resource_id`,
      params,
    );
    return rows.map((r) => ({
      projectId: r.project_id,
      hour: r.hour,
      meter: r.meter as MeterKind,
      resourceId: r.resource_id,
      rateKey: r.rate_key,
      quantity: Number(r.quantity),
    }));
  }

  async clocks(projectId: string | null): Promise<Array<Clock & { resourceId: string }>> {
    const rows = await this.db.query<ClockRow>(
      `SELECT resource_id, meter, project_id, rate_key, units, since FROM billing_clocks${projectId ? ` WHERE project_id = ${this.p(1)}` : ''} ORDER BY resource_id`,
      projectId ? [projectId] : [],
    );
    return rows.map((r) => ({ resourceId: r.resource_id, ...toClock(r) }));
  }

  private async loadClocks(tx: Tx, resourceIds: readonly string[]): Promise<MeterState> {
    const state: Record<string, Clock> = {};
    const ids = [...new Set(resourceIds)];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const rows = await tx.query<ClockRow>(
        `SELECT resource_id, meter, project_id, rate_key, units, since FROM billing_clocks WHERE resource_id IN (${this.list(chunk)})`,
        chunk,
      );
      for (const r of rows) state[r.resource_id] = toClock(r);
    }
    return state;
  }

  private async saveClocks(tx: Tx, before: MeterState, after: MeterState): Promise<void> {
    const gone = Object.keys(before).filter((id) => !(id in after));
    for (let i = 0; i < gone.length; i += CHUNK) {
      const chunk = gone.slice(i, i + CHUNK);
      await tx.query(`DELETE FROM billing_clocks WHERE resource_id IN (${this.list(chunk)})`, chunk);
    }
    const changed = Object.entries(after).filter(([id, clock]) => before[id] !== clock);
    for (let i = 0; i < changed.length; i += CHUNK) {
      const chunk = changed.slice(i, i + CHUNK);
      await tx.query(
        `INSERT INTO billing_clocks (resource_id, meter, project_id, rate_key, units, since)
         VALUES ${chunk.map((_, j) => `(${this.list([0, 0, 0, 0, 0, 0], j * 6)})`).join(', ')}
         ON CONFLICT (resource_id) DO UPDATE SET meter = excluded.meter, project_id = excluded.project_id, rate_key = excluded.rate_key,
           units = excluded.units, since = excluded.since`,
        chunk.flatMap(([id, c]) => [id, c.meter, c.projectId, c.rateKey, c.units, c.since]),
      );
    }
  }

  private async addUsage(tx: Tx, usage: readonly UsageRecord[]): Promise<void> {
    for (let i = 0; i < usage.length; i += CHUNK) {
      const chunk = usage.slice(i, i + CHUNK);
      await tx.query(
        `INSERT INTO billing_usage (project_id, hour, meter, resource_id, rate_key, quantity)
         VALUES ${chunk.map((_, j) => `(${this.list([0, 0, 0, 0, 0, 0], j * 6)})`).join(', ')}
         ON CONFLICT (project_id, hour, meter, resource_id) DO UPDATE SET quantity = billing_usage.quantity + excluded.quantity`,
        chunk.flatMap((u) => [u.projectId, u.hour, u.meter, u.resourceId, u.rateKey, u.quantity]),
      );
    }
  }
}

const toClock = (r: ClockRow): Clock => ({ meter: r.meter as MeterKind, projectId: r.project_id, rateKey: r.rate_key, units: Number(r.units), since: r.since });
