import { parseCidr } from '../../domain/network/network/ipv4';
import { DEFAULT_PRICE_SHEET, PriceSheet } from '../../application/billing/price-sheet.settings';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ClusterConfig, clusterConfig } from './cluster-config';
import { RegionConfig, regionConfig } from './region-config';
import { RateLimitConfig, rateLimitConfig } from './rate-limit-config';
import { TracingConfig, tracingConfig } from './tracing-config';
import { ConfigError, integer, oneOf } from './config-values';

export type StoreKind = 'embedded' | 'postgres';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Every setting the orchestrator reads; each is documented in the README. */
export type Config = ClusterConfig &
  RegionConfig &
  RateLimitConfig &
  TracingConfig & {
    store: StoreKind;
    dataDir: string;
    databaseUrl: string;
    pgPoolSize: number;
    httpHost: string;
    httpPort: number;
    /** The gRPC API's address; port null when it is off. */
    grpcHost: string;
    grpcPort: number | null;
    /** A port serving only the EC2 Query API, at `/` (libcloud's default path); null: EC2 only at /ec2 of the HTTP port. */
    ec2Port: number | null;
    bootstrapPassword: string | undefined;
    /** Seed a demo cloud (hosts, flavors, an image, a network) on the start that bootstraps the admin. */
    demo: boolean;
    tokenTtlSeconds: number;
    /** The externally visible base URL of the HTTP server (catalog endpoints, links); null: the Host the client used. */
    publicUrl: string | null;
    bodyLimitBytes: number;
    logLevel: LogLevel;
    masterKey: Buffer;
    pollIntervalMs: number;
    shutdownGraceMs: number;
    vlanMin: number;
    vlanMax: number;
    floatingIpPool: string;
    spawnTimeoutMs: number;
    hostUnreachableGraceMs: number;
    shutdownTimeoutMs: number;
    softRebootTimeoutMs: number;
    provisionConcurrency: number;
    schedulerWeigher: 'spread' | 'pack';
    simulatedLatencyMs: number;
    simulatedStateDir: string | null;
    reconcileIntervalMs: number;
    orphanGraceMs: number;
    powerDriftPolicy: 'accept' | 'restore';
    /** Real drivers (hosts registered with driver "libvirt", and the libvirt block storage). */
    blockStorage: 'simulated' | 'libvirt';
    libvirtStateDir: string;
    libvirtDomainType: 'qemu' | 'kvm';
    volumeDir: string;
    /** Where uploaded image data is kept, and the largest upload accepted. */
    imageDir: string;
    imageMaxBytes: number;
    volumePool: string;
    volumeUri: string;
    ovsBridge: string;
    /** Kafka brokers; empty: the in-process bus (the embedded default). */
    kafkaBrokers: string[];
    topicPrefix: string;
    /** Whether the orchestrator process runs the relay and the billing consumer itself (else: `npm run relay`, `npm run billing`). */
    relay: 'in-process' | 'off';
    billing: 'in-process' | 'off';
    priceSheet: PriceSheet;
    /** Threads `npm run replay` rebuilds the projections on. */
    replayThreads: number;
    /** How background work retries and when it gives up (see WorkSettings). */
    workBackoffBaseMs: number;
    workBackoffCapMs: number;
    workMaxAttempts: number;
    workGiveUpAfterMs: number;
    /** Hosts a spawn is tried on before the instance fails (Nova: 3). */
    scheduleMaxAttempts: number;
    volumeConcurrency: number;
    securityGroupConcurrency: number;
    externalVlan: number;
    reconcileConcurrency: number;
    /** Partitions of each topic the Kafka bus creates. */
    kafkaPartitions: number;
    /** Events the relay publishes per batch. */
    relayBatchSize: number;
  };

export { ConfigError };

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

/** `KAFKA_BROKERS`: host:port, comma separated. */
function brokers(env: NodeJS.ProcessEnv): string[] {
  const raw = (env.KAFKA_BROKERS ?? '').trim();
  if (raw === '') return [];
  const list = raw.split(',').map((b) => b.trim());
  if (!list.every((b) => /^[A-Za-z0-9.-]+:\d{1,5}$/.test(b))) throw new ConfigError(`KAFKA_BROKERS must be host:port[,host:port...], got "${raw}"`);
  return list;
}

function topicPrefix(env: NodeJS.ProcessEnv): string {
  const raw = env.ORCH_KAFKA_TOPIC_PREFIX || 'orchestrator';
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(raw)) throw new ConfigError(`ORCH_KAFKA_TOPIC_PREFIX must be letters, digits, '.', '_' or '-', got "${raw}"`);
  return raw;
}

/** `ORCH_PRICE_SHEET`: JSON { currency, instanceHour: { <flavor id or name> | default: price }, volumeGiBHour, floatingIpHour }. */
function priceSheet(env: NodeJS.ProcessEnv): PriceSheet {
  if (!env.ORCH_PRICE_SHEET) return DEFAULT_PRICE_SHEET;
  let parsed: unknown;
  try {
    parsed = JSON.parse(env.ORCH_PRICE_SHEET);
  } catch {
    throw new ConfigError('ORCH_PRICE_SHEET must be JSON');
  }
  const sheet = { ...DEFAULT_PRICE_SHEET, ...(parsed as Partial<PriceSheet>) };
  const price = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 0;
  if (
    typeof sheet.currency !== 'string' ||
    !price(sheet.volumeGiBHour) ||
    !price(sheet.snapshotGiBHour) ||
    !price(sheet.floatingIpHour) ||
    typeof sheet.instanceHour !== 'object' ||
    !Object.values(sheet.instanceHour).every(price)
  ) {
    throw new ConfigError('ORCH_PRICE_SHEET: currency is a string; instanceHour maps flavors (or "default") to prices; prices are numbers >= 0');
  }
  return sheet;
}

/** A name for libvirt or Open vSwitch (a pool, a bridge): letters, digits, '-' and '_', at most 15 characters. */
function name(env: NodeJS.ProcessEnv, variable: string, fallback: string): string {
  const raw = env[variable] || fallback;
  if (!/^[A-Za-z0-9_-]{1,15}$/.test(raw)) throw new ConfigError(`${variable} must be 1 to 15 letters, digits, '-' or '_', got "${raw}"`);
  return raw;
}

/** `ORCH_FLOATING_IP_POOL`: the CIDR floating IPs are allocated from (its first host address is kept for the router). */
function floatingIpPool(env: NodeJS.ProcessEnv): string {
  const raw = env.ORCH_FLOATING_IP_POOL || '198.51.100.0/24';
  try {
    return parseCidr(raw, { minPrefix: 8, maxPrefix: 30, field: 'ORCH_FLOATING_IP_POOL' }).text;
  } catch {
    throw new ConfigError(`ORCH_FLOATING_IP_POOL must be an IPv4 CIDR from /8 to /30 without host bits, got "${raw}"`);
  }
}

/** `ORCH_EXTERNAL_VLAN`: the floating-IP pool's VLAN on the hosts' bridges; outside the tenant range. */
function externalVlan(env: NodeJS.ProcessEnv): number {
  const vlan = integer(env, 'ORCH_EXTERNAL_VLAN', 4000, 2, 4094);
  const { vlanMin, vlanMax } = vlanRange(env);
  if (vlan >= vlanMin && vlan <= vlanMax) throw new ConfigError(`ORCH_EXTERNAL_VLAN (${vlan}) must lie outside ORCH_VLAN_RANGE (${vlanMin}-${vlanMax})`);
  return vlan;
}

function publicUrl(env: NodeJS.ProcessEnv): string | null {
  const raw = env.ORCH_PUBLIC_URL;
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`ORCH_PUBLIC_URL must be an absolute http(s) URL, not "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('ORCH_PUBLIC_URL must be an http or https URL');
  return raw.replace(/\/+$/, '');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.ORCH_DATA_DIR || './data');
  const store = oneOf(env, 'ORCH_STORE', ['embedded', 'postgres'] as const, 'embedded');
  const demo = oneOf(env, 'ORCH_DEMO', ['on', 'off'] as const, store === 'embedded' ? 'on' : 'off') === 'on';
  return {
    store,
    dataDir,
    databaseUrl: env.ORCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/orchestrator',
    pgPoolSize: integer(env, 'ORCH_PG_POOL_SIZE', 20, 1, 500),
    httpHost: env.ORCH_HTTP_HOST || '127.0.0.1',
    httpPort: integer(env, 'ORCH_HTTP_PORT', 8080, 0, 65535),
    grpcHost: env.ORCH_GRPC_HOST || env.ORCH_HTTP_HOST || '127.0.0.1',
    grpcPort: env.ORCH_GRPC_PORT === 'off' ? null : integer(env, 'ORCH_GRPC_PORT', 9090, 1, 65535),
    ec2Port: !env.ORCH_EC2_PORT || env.ORCH_EC2_PORT === 'off' ? null : integer(env, 'ORCH_EC2_PORT', 8773, 0, 65535),
    bootstrapPassword: env.ORCH_BOOTSTRAP_PASSWORD || undefined,
    demo,
    tokenTtlSeconds: integer(env, 'ORCH_TOKEN_TTL_SECONDS', 3600, 60, 30 * 24 * 3600),
    publicUrl: publicUrl(env),
    bodyLimitBytes: integer(env, 'ORCH_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    logLevel: oneOf(env, 'ORCH_LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    masterKey: masterKey(env, dataDir),
    pollIntervalMs: integer(env, 'ORCH_POLL_INTERVAL_MS', 250, 10, 60_000),
    shutdownGraceMs: integer(env, 'ORCH_SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    ...vlanRange(env),
    floatingIpPool: floatingIpPool(env),
    spawnTimeoutMs: integer(env, 'ORCH_SPAWN_TIMEOUT_MS', 300_000, 100, 3_600_000),
    hostUnreachableGraceMs: integer(env, 'ORCH_HOST_UNREACHABLE_GRACE_MS', 120_000, 0, 86_400_000),
    shutdownTimeoutMs: integer(env, 'ORCH_GUEST_SHUTDOWN_TIMEOUT_MS', 60_000, 0, 3_600_000),
    softRebootTimeoutMs: integer(env, 'ORCH_SOFT_REBOOT_TIMEOUT_MS', 120_000, 100, 3_600_000),
    provisionConcurrency: integer(env, 'ORCH_PROVISION_CONCURRENCY', 64, 1, 10_000),
    schedulerWeigher: oneOf(env, 'ORCH_SCHEDULER_WEIGHER', ['spread', 'pack'] as const, 'spread'),
    simulatedLatencyMs: integer(env, 'ORCH_SIM_LATENCY_MS', 0, 0, 600_000),
    simulatedStateDir: simulatedStateDir(env, dataDir, demo),
    reconcileIntervalMs: integer(env, 'ORCH_RECONCILE_INTERVAL_MS', 10_000, 50, 3_600_000),
    orphanGraceMs: integer(env, 'ORCH_ORPHAN_GRACE_MS', 300_000, 0, 7 * 24 * 3_600_000),
    powerDriftPolicy: oneOf(env, 'ORCH_POWER_DRIFT_POLICY', ['accept', 'restore'] as const, 'accept'),
    blockStorage: oneOf(env, 'ORCH_BLOCK_STORAGE', ['simulated', 'libvirt'] as const, 'simulated'),
    libvirtStateDir: path.resolve(env.ORCH_LIBVIRT_STATE_DIR || '/var/lib/orchestrator/instances'),
    libvirtDomainType: oneOf(env, 'ORCH_LIBVIRT_DOMAIN_TYPE', ['qemu', 'kvm'] as const, 'qemu'),
    volumeDir: path.resolve(env.ORCH_VOLUME_DIR || '/var/lib/orchestrator/volumes'),
    imageDir: path.resolve(env.ORCH_IMAGE_DIR || path.join(dataDir, 'images')),
    imageMaxBytes: integer(env, 'ORCH_IMAGE_MAX_BYTES', 20 * 1024 ** 3, 1024, 2 ** 50),
    volumePool: name(env, 'ORCH_VOLUME_POOL', 'orch-volumes'),
    volumeUri: env.ORCH_VOLUME_URI || 'qemu:///system',
    ovsBridge: name(env, 'ORCH_OVS_BRIDGE', 'br-orch'),
    kafkaBrokers: brokers(env),
    topicPrefix: topicPrefix(env),
    relay: oneOf(env, 'ORCH_RELAY', ['in-process', 'off'] as const, 'in-process'),
    billing: oneOf(env, 'ORCH_BILLING', ['in-process', 'off'] as const, 'in-process'),
    priceSheet: priceSheet(env),
    replayThreads: integer(env, 'ORCH_REPLAY_THREADS', Math.min(os.availableParallelism(), 4), 1, 64),
    ...workBackoff(env),
    workMaxAttempts: integer(env, 'ORCH_WORK_MAX_ATTEMPTS', 8, 1, 1_000),
    workGiveUpAfterMs: integer(env, 'ORCH_WORK_GIVE_UP_AFTER_MS', 600_000, 1_000, 7 * 24 * 3_600_000),
    scheduleMaxAttempts: integer(env, 'ORCH_SCHEDULE_MAX_ATTEMPTS', 3, 1, 100),
    volumeConcurrency: integer(env, 'ORCH_VOLUME_CONCURRENCY', 16, 1, 10_000),
    securityGroupConcurrency: integer(env, 'ORCH_SECURITY_GROUP_CONCURRENCY', 4, 1, 1_000),
    externalVlan: externalVlan(env),
    reconcileConcurrency: integer(env, 'ORCH_RECONCILE_CONCURRENCY', 4, 1, 1_000),
    kafkaPartitions: integer(env, 'ORCH_KAFKA_PARTITIONS', 3, 1, 1_000),
    relayBatchSize: integer(env, 'ORCH_RELAY_BATCH_SIZE', 500, 1, 100_000),
    ...clusterConfig(env, store),
    ...regionConfig(env, store),
    ...rateLimitConfig(env),
    ...tracingConfig(env),
  };
}

/**
 * Where simulated hosts keep their state: ORCH_SIM_STATE_DIR; with the demo cloud on, under the
 * data directory (so that its instances outlive a restart, as a real host's guests would); else in memory.
 */
function simulatedStateDir(env: NodeJS.ProcessEnv, dataDir: string, demo: boolean): string | null {
  if (env.ORCH_SIM_STATE_DIR) return path.resolve(env.ORCH_SIM_STATE_DIR);
  return demo ? path.join(dataDir, 'simulated-hosts') : null;
}

/** `ORCH_WORK_BACKOFF_BASE_MS` and `ORCH_WORK_BACKOFF_CAP_MS`: the first retry's delay and the longest one (the cap at least the base). */
function workBackoff(env: NodeJS.ProcessEnv): { workBackoffBaseMs: number; workBackoffCapMs: number } {
  const workBackoffBaseMs = integer(env, 'ORCH_WORK_BACKOFF_BASE_MS', 200, 1, 600_000);
  const workBackoffCapMs = integer(env, 'ORCH_WORK_BACKOFF_CAP_MS', 30_000, 1, 3_600_000);
  if (workBackoffCapMs < workBackoffBaseMs) throw new ConfigError('ORCH_WORK_BACKOFF_CAP_MS must be at least ORCH_WORK_BACKOFF_BASE_MS');
  return { workBackoffBaseMs, workBackoffCapMs };
}
