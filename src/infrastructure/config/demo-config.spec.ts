import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from './config';
import { ConfigError } from './config-values';

describe('ORCH_DEMO', () => {
  const dataDir = path.join(os.tmpdir(), 'orch-demo-config');
  const base = { ORCH_DATA_DIR: dataDir, ORCH_SECRET_KEY: 'ab'.repeat(32) };

  it('is on by default on the embedded store, and keeps the simulated hosts under the data directory', () => {
    const config = loadConfig(base);
    expect(config.demo).toBe(true);
    expect(config.simulatedStateDir).toBe(path.join(dataDir, 'simulated-hosts'));
  });

  it('is off by default on PostgreSQL, unless asked for', () => {
    expect(loadConfig({ ...base, ORCH_STORE: 'postgres' }).demo).toBe(false);
    expect(loadConfig({ ...base, ORCH_STORE: 'postgres', ORCH_DEMO: 'on' }).demo).toBe(true);
  });

  it('off keeps simulated hosts in memory, and an explicit ORCH_SIM_STATE_DIR always wins', () => {
    expect(loadConfig({ ...base, ORCH_DEMO: 'off' }).simulatedStateDir).toBeNull();
    expect(loadConfig({ ...base, ORCH_SIM_STATE_DIR: '/tmp/hosts' }).simulatedStateDir).toBe('/tmp/hosts');
  });

  it('refuses anything but on and off', () => {
    expect(() => loadConfig({ ...base, ORCH_DEMO: 'yes' })).toThrow(ConfigError);
  });
});
