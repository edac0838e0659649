/**
 * The onion's rule of dependencies, checked in the test command (npm run check:deps):
 * domain <- application <- interfaces; infrastructure implements application ports.
 */
const FRAMEWORKS = '^(@nestjs|typeorm|pg|better-sqlite3|kafkajs|@eventstore|express|rxjs|class-validator|class-transformer|prom-client|reflect-metadata)';
const NODE_IO = '^(fs|node:fs|net|node:net|http|node:http|https|node:https|child_process|node:child_process|crypto|node:crypto|os|node:os|path|node:path|worker_threads|node:worker_threads)$';
const CONTEXTS = ['compute', 'network', 'storage', 'identity'];

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'The domain imports nothing from outer layers',
      severity: 'error',
      from: { path: '^src/domain' },
      to: { path: '^src/(application|infrastructure|interfaces)|^src/[^/]+\\.ts$' },
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
      comment: 'Use cases depend on ports, never on adapters or the HTTP layer',
      severity: 'error',
      from: { path: '^src/application' },
      to: { path: '^src/(infrastructure|interfaces)' },
    },
    {
      name: 'interfaces-not-on-adapters',
      comment: 'Controllers talk to use cases; adapters are wired in the composition root (src/*.ts)',
      severity: 'error',
      from: { path: '^src/interfaces' },
      to: { path: '^src/infrastructure' },
    },
    {
      name: 'infrastructure-not-on-interfaces',
      severity: 'error',
      from: { path: '^src/infrastructure' },
      to: { path: '^src/interfaces' },
    },
    ...CONTEXTS.map((context) => ({
      name: `no-foreign-aggregates-from-${context}`,
      comment: 'Bounded contexts talk through events and commands, not by importing each other\'s aggregates',
      severity: 'error',
      from: { path: `^src/domain/${context}/` },
      to: { path: `^src/domain/(${CONTEXTS.filter((c) => c !== context).join('|')})/` },
    })),
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
