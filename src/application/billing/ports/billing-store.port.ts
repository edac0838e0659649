import { Clock, MeterState, UsageRecord } from '../../../domain/billing/meter';

export type MeteredIntegrationEvent = { id: string; type: string; data: unknown };

/** The metering step a store runs inside its transaction: from the clocks it loaded, the new clocks and the usage. */
export type MeterStep = (clocks: MeterState, fresh: readonly MeteredIntegrationEvent[]) => { clocks: MeterState; usage: UsageRecord[] };

/** Billing's own storage: events already metered, running clocks, usage per project, hour and resource. */
export interface BillingStore {
  /**
   * In one transaction: records these events as metered, keeps those never metered before (a
   * redelivery changes nothing), loads the clocks they touch, runs `step`, saves its clocks (a
   * clock it dropped is deleted) and adds its usage.
   */
  meterOnce(events: readonly MeteredIntegrationEvent[], resourceIds: readonly string[], step: MeterStep): Promise<number>;
  usage(filter: { projectId: string | null; fromHour: string; toHour: string }): Promise<UsageRecord[]>;
  clocks(projectId: string | null): Promise<Array<Clock & { resourceId: string }>>;
}
export const BILLING_STORE = Symbol('BillingStore');
