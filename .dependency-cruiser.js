/**
 * The onion's rule of dependencies, checked in the test command (npm run check:deps):
 * domain <- application <- interfaces; infrastructure implements application ports; the
 * composition root (src/wiring, src/roles, src/*.ts) wires them. Bounded contexts reach each
 * other only through a context's public entry (src/application/<context>/public.ts).
 */
const FRAMEWORKS = '^(@nestjs|typeorm|pg|better-sqlite3|kafkajs|@eventstore|express|rxjs|class-validator|class-transformer|prom-client|reflect-metadata)';
const NODE_IO = '^(fs|node:fs|net|node:net|http|node:http|https|node:https|child_process|node:child_process|crypto|node:crypto|os|node:os|path|node:path|worker_threads|node:worker_threads)$';
const CONTEXTS = ['compute', 'network', 'storage', 'identity', 'billing'];
/** Application code above the contexts: it may use every context, through their public entries. */
const PLATFORM_FEATURES = ['events', 'integration', 'operations', 'demo'];
const others = (context) => CONTEXTS.filter((c) => c !== context).join('|');

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'The domain imports nothing from outer layers',
      severity: 'error',
      from: { path: '^src/domain' },
      to: { path: '^src/(application|infrastructure|interfaces|wiring|roles)|^src/[^/]+\\.ts$' },
    },
    {
      name: 'domain-has-no-frameworks',
      comment: 'No framework, database, broker or node I/O module in the domain',
      severity: 'error',
      from: { path: '^src/domain' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'core'], path: `${FRAMEWORKS}|${NODE_IO}|^node_modules` },
    },
    {
      name: 'application-not-on-adapters',
      comment: 'Use cases depend on ports, never on adapters, the HTTP layer or the wiring',
      severity: 'error',
      from: { path: '^src/application' },
      to: { path: '^src/(infrastructure|interfaces|wiring|roles)|^src/[^/]+\\.ts$' },
    },
    {
      name: 'interfaces-not-on-adapters',
      comment: 'Controllers talk to use cases; adapters are wired in the composition root (src/wiring)',
      severity: 'error',
      from: { path: '^src/interfaces' },
      to: { path: '^src/(infrastructure|wiring|roles)' },
    },
    {
      name: 'cli-is-a-client',
      comment: 'The orch CLI talks to a cloud over its public HTTP API only: it imports nothing of the server',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/', pathNot: '^src/cli/' },
    },
    {
      name: 'infrastructure-not-on-interfaces',
      severity: 'error',
      from: { path: '^src/infrastructure' },
      to: { path: '^src/(interfaces|wiring|roles)' },
    },
    ...CONTEXTS.map((context) => ({
      name: `no-foreign-aggregates-from-${context}`,
      comment: "Bounded contexts talk through events and commands, not by importing each other's aggregates",
      severity: 'error',
      from: { path: `^src/(domain|application)/${context}/` },
      to: { path: `^src/domain/(${others(context)})/` },
    })),
    ...CONTEXTS.map((context) => ({
      name: `only-public-entries-from-${context}`,
      comment: "A context uses another only through that context's public entry (src/application/<context>/public.ts)",
      severity: 'error',
      from: { path: `^src/application/${context}/` },
      to: { path: `^src/application/(${others(context)})/`, pathNot: `^src/application/(${others(context)})/public\\.ts$` },
    })),
    ...CONTEXTS.map((context) => ({
      name: `no-platform-features-from-${context}`,
      comment: 'A context does not depend on what is built above the contexts (the audit, the relay, operations)',
      severity: 'error',
      from: { path: `^src/application/${context}/` },
      to: { path: `^src/application/(${PLATFORM_FEATURES.join('|')})/` },
    })),
    {
      name: 'platform-features-through-public-entries',
      comment: "What is built above the contexts uses them through their public entries only",
      severity: 'error',
      from: { path: `^src/application/(${PLATFORM_FEATURES.join('|')})/` },
      to: { path: `^src/(application|domain)/(${CONTEXTS.join('|')})/`, pathNot: `^src/application/(${CONTEXTS.join('|')})/public\\.ts$` },
    },
    {
      name: 'shared-is-shared',
      comment: 'Shared application code and ports belong to no context',
      severity: 'error',
      from: { path: '^src/application/(shared|ports)/' },
      to: { path: `^src/application/(${[...CONTEXTS, ...PLATFORM_FEATURES].join('|')})/|^src/domain/(${CONTEXTS.join('|')})/` },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.spec\\.ts$' },
  },
};
