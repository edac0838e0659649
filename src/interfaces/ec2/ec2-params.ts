import { ec2Invalid, invalidValue, missingParameter } from './ec2-error';

/** A Query API request's parameters (form body or query string), with EC2's list and structure conventions. */
export class Ec2Params {
  constructor(private readonly values: ReadonlyMap<string, string>) {}

  static of(pairs: ReadonlyArray<readonly [string, string]>): Ec2Params {
    return new Ec2Params(new Map(pairs));
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  required(name: string): string {
    const value = this.values.get(name);
    if (value === undefined || value === '') throw missingParameter(name);
    return value;
  }

  int(name: string, min: number, max: number): number | undefined {
    const raw = this.values.get(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw) || value < min || value > max) throw invalidValue(name, raw, `must be a whole number from ${min} to ${max}`);
    return value;
  }

  bool(name: string): boolean {
    const raw = this.values.get(name);
    if (raw === undefined) return false;
    if (raw !== 'true' && raw !== 'false') throw invalidValue(name, raw, 'must be true or false');
    return raw === 'true';
  }

  /** `Name.1`, `Name.2`, … in index order (the query protocol's flattened lists). */
  list(name: string): string[] {
    return this.indexes(name)
      .map((i) => this.values.get(`${name}.${i}`))
      .filter((v): v is string => v !== undefined);
  }

  /** `Name.N.…` members as sub-parameters, in index order. */
  members(name: string): Ec2Params[] {
    return this.indexes(name).map((i) => {
      const prefix = `${name}.${i}.`;
      const pairs = [...this.values].filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length), value] as const);
      return Ec2Params.of(pairs);
    });
  }

  /** `Filter.N.Name` / `Filter.N.Value.M`, as a map of name to accepted values. */
  filters(): Map<string, string[]> {
    const filters = new Map<string, string[]>();
    for (const filter of this.members('Filter')) {
      const name = filter.required('Name');
      filters.set(name, [...(filters.get(name) ?? []), ...filter.list('Value')]);
    }
    return filters;
  }

  /** Every parameter but those named, for comparing two requests (a ClientToken's first and its repeat). */
  canonical(except: ReadonlySet<string>): string {
    return JSON.stringify([...this.values].filter(([key]) => !except.has(key)).sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  private indexes(name: string): number[] {
    const found = new Set<number>();
    const pattern = new RegExp(`^${name.replace(/\./g, '\\.')}\\.(\\d+)(\\.|$)`);
    for (const key of this.values.keys()) {
      const match = pattern.exec(key);
      if (match) found.add(Number(match[1]));
    }
    return [...found].sort((a, b) => a - b);
  }
}

/** Filter values may carry `*` and `?` wildcards, as EC2's do. */
export function filterMatches(accepted: readonly string[], actual: string | null | undefined): boolean {
  if (actual === null || actual === undefined) return false;
  return accepted.some((pattern) => {
    if (!/[*?]/.test(pattern)) return pattern === actual;
    const regex = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    return regex.test(actual);
  });
}

/** Whether a resource's named values pass every filter (one it has no value for does not). */
export function passesFilters(filters: ReadonlyMap<string, string[]>, values: Readonly<Record<string, string | null | undefined>>): boolean {
  return [...filters].every(([name, accepted]) => filterMatches(accepted, values[name]));
}

/** A resource's tags as filter values (`tag:<key>`). */
export const tagFilterValues = (metadata: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(metadata).map(([key, value]) => [`tag:${key}`, value]));

/** Refuses filter names an action does not know (EC2 answers InvalidParameterValue). */
export function assertKnownFilters(filters: ReadonlyMap<string, string[]>, known: ReadonlySet<string>): void {
  for (const name of filters.keys()) {
    if (!known.has(name) && !name.startsWith('tag:')) throw ec2Invalid('InvalidParameterValue', `The filter '${name}' is invalid`);
  }
}
