/** How values travel in and out of OVSDB: our external ids as base64 JSON, and ovs-vsctl's JSON output decoded. */
export type Row = Record<string, unknown>;
export type Interface = { name: string; ofport: number; externalIds: Record<string, string> };

export const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
export const decode = <T>(value: string | undefined, fallback: T): T => (value ? (JSON.parse(Buffer.from(value, 'base64').toString()) as T) : fallback);

/** ovs-vsctl's JSON: ["set", [...]] and ["uuid", id] as plain values, maps kept for ovsMap. */
export function ovsValue(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  if (value[0] === 'set') return (value[1] as unknown[]).length === 0 ? null : (value[1] as unknown[]).map(ovsValue);
  if (value[0] === 'map') return value;
  if (value[0] === 'uuid') return value[1];
  return value;
}

export function ovsMap(value: unknown): Record<string, string> {
  return Array.isArray(value) && value[0] === 'map' ? Object.fromEntries(value[1] as Array<[string, string]>) : {};
}

export const toInterface = (r: Row): Interface => ({ name: String(r.name), ofport: Number(r.ofport), externalIds: ovsMap(r.external_ids) });
