/**
 * How an event stored in an older schema reads in the next one: `upcast` turns the data of
 * schema `from` into that of `from + 1`. Pure; the stored event is never rewritten.
 */
export type EventUpcast = { readonly type: string; readonly from: number; upcast(data: unknown): unknown };

export type EventSchemas = {
  /** The schema an event of this type is written in now. */
  currentVersion(type: string): number;
  /** The data of a stored event in the current schema of its type. */
  upcast(type: string, schemaVersion: number, data: unknown): unknown;
};

/** The schemas that a list of upcasts implies: a type's current version is one past its last upcast. */
export function eventSchemas(upcasts: readonly EventUpcast[]): EventSchemas {
  const byType = new Map<string, Map<number, EventUpcast>>();
  for (const u of upcasts) {
    const steps = byType.get(u.type) ?? new Map<number, EventUpcast>();
    if (steps.has(u.from)) throw new Error(`Two upcasts of ${u.type} from schema ${u.from}`);
    byType.set(u.type, steps.set(u.from, u));
  }
  const current = (type: string) => Math.max(0, ...(byType.get(type)?.keys() ?? [])) + 1;
  return {
    currentVersion: current,
    upcast(type, schemaVersion, data) {
      const steps = byType.get(type);
      if (!steps) return data;
      let out = data;
      for (let v = schemaVersion; v < current(type); v++) {
        const step = steps.get(v);
        if (!step) throw new Error(`No upcast of ${type} from schema ${v}`);
        out = step.upcast(out);
      }
      return out;
    },
  };
}
