import Table from 'cli-table3';

export type OutputFormat = 'table' | 'json';

export type Item = Record<string, unknown>;
export type Column = { header: string; value: (item: Item) => unknown };

/** A field of an API answer by its dotted path (`flavor.vcpus`); undefined when absent. */
export function at(item: unknown, dotted: string): unknown {
  let value: unknown = item;
  for (const key of dotted.split('.')) value = value !== null && typeof value === 'object' ? (value as Item)[key] : undefined;
  return value;
}

/** A list as a table (the columns given) or as JSON (every field, for scripts). */
export function printList(items: unknown[], columns: Column[], format: OutputFormat): void {
  if (format === 'json') return void process.stdout.write(JSON.stringify(items, null, 2) + '\n');
  const table = new Table({ head: columns.map((c) => c.header), style: { head: [], border: [] } });
  for (const item of items) table.push(columns.map((c) => cell(c.value(item as Item))));
  process.stdout.write(table.toString() + '\n');
}

/** One resource as a two-column table of its fields, or as JSON. */
export function printOne(item: Record<string, unknown>, format: OutputFormat): void {
  if (format === 'json') return void process.stdout.write(JSON.stringify(item, null, 2) + '\n');
  const table = new Table({ style: { head: [], border: [] } });
  for (const [key, value] of Object.entries(item)) table.push({ [key]: cell(value) });
  process.stdout.write(table.toString() + '\n');
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
