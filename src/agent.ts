import { ConfigError } from './infrastructure/config/config';
import { runBackgroundProcess } from './background-process';
import { AgentModule } from './roles/agent.module';

/**
 * `npm run agent -- --host <name>`: a standalone compute agent. It connects to the orchestrator's
 * store (PostgreSQL, or the embedded store's data directory on the same machine), takes the
 * registered host over and drives its instances through the host's drivers, recording every
 * result in the log.
 */
runBackgroundProcess(() => {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--host');
  const host = at >= 0 ? argv[at + 1] : undefined;
  if (!host || host.startsWith('--')) throw new ConfigError('usage: npm run agent -- --host <registered host name or id>');
  return { root: (config, logger) => AgentModule.forRoot(config, logger, host), fields: { kind: 'agent', host } };
}, 'compute agent running');
