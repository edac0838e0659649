import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export type StoreKind = 'embedded' | 'postgres';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Every setting the orchestrator reads; each is documented in the README. */
export type Config = {
  store: StoreKind;
  dataDir: string;
  databaseUrl: string;
  pgPoolSize: number;
  httpHost: string;
  httpPort: number;
  bootstrapPassword: string | undefined;
  tokenTtlSeconds: number;
  bodyLimitBytes: number;
  logLevel: LogLevel;
  masterKey: Buffer;
  pollIntervalMs: number;
  shutdownGraceMs: number;
  vlanMin: number;
  vlanMax: number;
  spawnTimeoutMs: number;
  shutdownTimeoutMs: number;
  softRebootTimeoutMs: number;
  provisionConcurrency: number;
  schedulerWeigher: 'spread' | 'pack';
  simulatedLatencyMs: number;
  simulatedStateFile: string | null;
  reconcileIntervalMs: number;
  orphanGraceMs: number;
  powerDriftPolicy: 'accept' | 'restore';
};

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return value;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

/**
 * The master key encrypts secrets that must be recoverable (access-key secrets). From
 * ORCH_SECRET_KEY (64 hex characters) or, when unset, a key generated once into the data directory.
 */
function masterKey(env: NodeJS.ProcessEnv, dataDir: string): Buffer {
  const raw = env.ORCH_SECRET_KEY;
  if (raw) {
    if (!/^[0-9a-fA-F]{64}$/.test(raw)) throw new ConfigError('ORCH_SECRET_KEY must be 64 hexadecimal characters (32 bytes)');
    return Buffer.from(raw, 'hex');
  }
  const file = path.join(dataDir, 'secret.key');
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
}

/** `ORCH_VLAN_RANGE` as `min-max`, within 2-4094. */
function vlanRange(env: NodeJS.ProcessEnv): { vlanMin: number; vlanMax: number } {
  const raw = env.ORCH_VLAN_RANGE || '100-3999';
  const match = /^(\d{1,4})-(\d{1,4})$/.exec(raw);
  const [min, max] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!(min >= 2 && max <= 4094 && min <= max)) throw new ConfigError(`ORCH_VLAN_RANGE must be "min-max" within 2-4094, got "${raw}"`);
  return { vlanMin: min, vlanMax: max };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.ORCH_DATA_DIR || './data');
  return {
    store: oneOf(env, 'ORCH_STORE', ['embedded', 'postgres'] as const, 'embedded'),
    dataDir,
    databaseUrl: env.ORCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/orchestrator',
    pgPoolSize: integer(env, 'ORCH_PG_POOL_SIZE', 20, 1, 500),
    httpHost: env.ORCH_HTTP_HOST || '127.0.0.1',
    httpPort: integer(env, 'ORCH_HTTP_PORT', 8080, 0, 65535),
    bootstrapPassword: env.ORCH_BOOTSTRAP_PASSWORD || undefined,
    tokenTtlSeconds: integer(env, 'ORCH_TOKEN_TTL_SECONDS', 3600, 60, 30 * 24 * 3600),
    bodyLimitBytes: integer(env, 'ORCH_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    logLevel: oneOf(env, 'ORCH_LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    masterKey: masterKey(env, dataDir),
    pollIntervalMs: integer(env, 'ORCH_POLL_INTERVAL_MS', 250, 10, 60_000),
    shutdownGraceMs: integer(env, 'ORCH_SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    ...vlanRange(env),
    spawnTimeoutMs: integer(env, 'ORCH_SPAWN_TIMEOUT_MS', 300_000, 100, 3_600_000),
    shutdownTimeoutMs: integer(env, 'ORCH_GUEST_SHUTDOWN_TIMEOUT_MS', 60_000, 0, 3_600_000),
    softRebootTimeoutMs: integer(env, 'ORCH_SOFT_REBOOT_TIMEOUT_MS', 120_000, 100, 3_600_000),
    provisionConcurrency: integer(env, 'ORCH_PROVISION_CONCURRENCY', 64, 1, 10_000),
    schedulerWeigher: oneOf(env, 'ORCH_SCHEDULER_WEIGHER', ['spread', 'pack'] as const, 'spread'),
    simulatedLatencyMs: integer(env, 'ORCH_SIM_LATENCY_MS', 0, 0, 600_000),
    simulatedStateFile: env.ORCH_SIM_STATE_FILE ? path.resolve(env.ORCH_SIM_STATE_FILE) : null,
    reconcileIntervalMs: integer(env, 'ORCH_RECONCILE_INTERVAL_MS', 10_000, 50, 3_600_000),
    orphanGraceMs: integer(env, 'ORCH_ORPHAN_GRACE_MS', 300_000, 0, 7 * 24 * 3_600_000),
    powerDriftPolicy: oneOf(env, 'ORCH_POWER_DRIFT_POLICY', ['accept', 'restore'] as const, 'accept'),
  };
}
