/** Prices per hour: an instance's by its flavor (id or name, else `default`), a volume's and a snapshot's per GiB, a floating IP's. */
export type PriceSheet = {
  currency: string;
  instanceHour: Readonly<Record<string, number>>;
  volumeGiBHour: number;
  snapshotGiBHour: number;
  floatingIpHour: number;
};
export const PRICE_SHEET = Symbol('PriceSheet');

export const DEFAULT_PRICE_SHEET: PriceSheet = {
  currency: 'EUR',
  instanceHour: { default: 0.01 },
  volumeGiBHour: 0.0002,
  snapshotGiBHour: 0.0001,
  floatingIpHour: 0.005,
};
