import fc from 'fast-check';

/** The parts of an OpenAPI 3 document the fuzzer reads. */
export type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minimum?: number;
  maximum?: number;
  example?: unknown;
};
type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: Schema };
type Operation = { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } };
export type OpenApiDocument = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

/** Names of real resources by kind (a path segment or a property name), so that some requests reach past the lookups. */
export type Pools = Record<string, string[]>;

export type FuzzRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  /** A JSON value to send as JSON, or raw bytes with a content type. */
  body: { json: unknown } | { raw: string; contentType: string } | null;
  credential: 'admin' | 'member' | 'none' | 'garbage';
};

/** Values that have broken parsers, validators and queries elsewhere. */
const NASTY_STRINGS = [
  '',
  ' ',
  "' OR '1'='1' --",
  '"; DROP TABLE events; --',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '%00',
  '\u0000',
  'a\u0000b',
  '\r\nX-Injected: 1',
  '\u202e\u0007\u001b[31m',
  '𝕳𝖊𝖑𝖑𝖔 😀',
  'NaN',
  '-1',
  '1e309',
  '0x7fffffff',
  'null',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'tok-00.aaaaaaaaaaaaaaaaaaaa',
];

const nastyNumber = fc.oneof(
  fc.constantFrom(-1, 0, -0, 1e308, -1e308, 2 ** 53 + 1, 2 ** 31, -(2 ** 31) - 1, 0.5, 1e-300, 4095, 65536),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** A string of any length up to 10,000 or a known troublemaker, control characters and lone surrogates included. */
const nastyString = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 300 }),
  fc.integer({ min: 256, max: 10_000 }).map((n) => 'x'.repeat(n)),
);

/** Any JSON value of the wrong kind: numbers, strings, booleans, null, arrays, objects with odd keys. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  { weight: 2, arbitrary: nastyNumber },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
  { weight: 1, arbitrary: fc.array(fc.oneof(nastyString, nastyNumber), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.oneof(nastyString, fc.constantFrom('__proto__', 'constructor')), nastyString, { maxKeys: 3 }) },
);

const resolve = (doc: OpenApiDocument, schema: Schema): Schema => (schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop() as string] : schema);

/** The pool a property or parameter name points into: `network`, `networkId`, `volumeId` → `networks`, `volumes`. */
function poolFor(pools: Pools, name: string): string[] | undefined {
  const base = name.replace(/Ids?$/, '').replace(/OrName$/, '');
  return pools[base] ?? pools[`${base}s`] ?? pools[`${base.replace(/y$/, 'ie')}s`];
}

/** A value that follows the schema (a real resource's id where the name suggests one), or not. */
export function valueFor(doc: OpenApiDocument, pools: Pools, name: string, raw: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const schema = raw ? resolve(doc, raw) : {};
  const pool = poolFor(pools, name);
  const plausible: fc.Arbitrary<unknown>[] = [];
  if (pool && pool.length > 0) plausible.push(fc.constantFrom(...pool));
  if (schema.enum) plausible.push(fc.constantFrom(...schema.enum));
  if (schema.example !== undefined) plausible.push(fc.constant(schema.example));
  switch (schema.type) {
    case 'number':
    case 'integer':
      plausible.push(fc.integer({ min: schema.minimum ?? -10, max: Math.min(schema.maximum ?? 100, (schema.minimum ?? 0) + 5000) }));
      break;
    case 'boolean':
      plausible.push(fc.boolean());
      break;
    case 'string':
      plausible.push(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/));
      break;
    case 'array':
      if (depth < 3) plausible.push(fc.array(valueFor(doc, pools, name, schema.items, depth + 1), { maxLength: 4 }));
      break;
    case 'object':
      if (depth < 3 && schema.properties) plausible.push(objectFor(doc, pools, schema, depth + 1));
      break;
  }
  if (plausible.length === 0) return nastyValue;
  return fc.oneof({ weight: 4, arbitrary: fc.oneof(...plausible) }, { weight: 1, arbitrary: nastyValue });
}

/** An object of the schema's properties: each present or missing, the required ones mostly present, sometimes extra fields. */
export function objectFor(doc: OpenApiDocument, pools: Pools, raw: Schema, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const schema = resolve(doc, raw);
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {}).map(([name, property]) =>
    fc.tuple(fc.constant(name), valueFor(doc, pools, name, property, depth), fc.integer({ min: 0, max: 9 })),
  );
  return fc
    .tuple(fc.tuple(...fields), fc.dictionary(fc.stringMatching(/^[a-zA-Z_]{1,12}$/), nastyValue, { maxKeys: 2 }), fc.boolean())
    .map(([present, extras, withExtras]) => {
      const object: Record<string, unknown> = {};
      for (const [name, value, dice] of present) if (dice < (required.has(name) ? 9 : 6)) object[name] = value;
      return withExtras ? { ...extras, ...object } : object;
    });
}

/** A request body: mostly the operation's object, else JSON of the wrong shape, bytes that are not JSON, or another content type. */
function bodyFor(doc: OpenApiDocument, pools: Pools, operation: Operation): fc.Arbitrary<FuzzRequest['body']> {
  const schema = operation.requestBody?.content?.['application/json']?.schema;
  const wrong = fc.oneof(
    nastyValue.map((json) => ({ json })),
    fc
      .constantFrom('{"a":', '{"name": "x",}', '\u0000\u0001', 'name=x&flavor=y', '[1,2', '{"a":1}{"b":2}')
      .map((raw) => ({ raw, contentType: 'application/json' })),
    fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x').map((contentType) => ({
      raw: '{"name":"x"}',
      contentType,
    })),
  );
  if (!schema) return fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: wrong });
  return fc.oneof({ weight: 6, arbitrary: objectFor(doc, pools, schema).map((json) => ({ json })) }, { weight: 1, arbitrary: wrong });
}

/** Requests to every operation of the document (but the excluded ones), with path, query and body generated from it. */
export function requestsFrom(doc: OpenApiDocument, pools: Pools, exclude: (method: string, path: string) => boolean): fc.Arbitrary<FuzzRequest> {
  const operations: fc.Arbitrary<FuzzRequest>[] = [];
  for (const [template, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (exclude(method.toUpperCase(), template)) continue;
      const parameters = operation.parameters ?? [];
      const pathParts = parameters.filter((p) => p.in === 'path').map((p) => fc.tuple(fc.constant(p.name), pathValue(pools, template, p.name)));
      const queryParts = parameters
        .filter((p) => p.in === 'query')
        .map((p) => fc.tuple(fc.constant(p.name), fc.option(valueFor(doc, pools, p.name, p.schema), { freq: 2 })));
      operations.push(
        fc
          .record({
            path: fc.tuple(...pathParts),
            query: fc.tuple(...queryParts),
            body: bodyFor(doc, pools, operation),
            credential: fc.constantFrom<FuzzRequest['credential']>('admin', 'admin', 'admin', 'admin', 'member', 'none', 'garbage'),
          })
          .map(({ path, query, body, credential }) => ({
            method: method.toUpperCase(),
            path: path.reduce((p, [name, value]) => p.replace(`{${name}}`, encodeURIComponent(value)), template),
            query: Object.fromEntries(query.filter(([, v]) => v !== null).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])),
            body,
            credential,
          })),
      );
    }
  }
  return fc.oneof(...operations);
}

/** A path parameter: a real id of the kind the path names (the segment before it), or any string. */
function pathValue(pools: Pools, template: string, name: string): fc.Arbitrary<string> {
  const segments = template.split('/');
  const before = segments[segments.indexOf(`{${name}}`) - 1];
  const pool = poolFor(pools, name) ?? pools[before] ?? [];
  const any = fc.oneof(fc.constantFrom(...NASTY_STRINGS.filter((s) => s !== '')), fc.string({ minLength: 1, maxLength: 300 }));
  return pool.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: any }) : any;
}
