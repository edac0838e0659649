import { ConfigError, integer } from './config-values';

/** Tracing (see the README's "Tracing"). */
export type TracingConfig = {
  /** Zipkin's span endpoint (ORCH_ZIPKIN_URL); null: no tracing. */
  zipkinUrl: string | null;
  /** The share of new traces recorded (ORCH_TRACE_SAMPLE_RATIO); a trace continued from a caller keeps the caller's decision. */
  traceSampleRatio: number;
  /** How many commands of one request are traced whole (ORCH_TRACE_MAX_FANOUT; Infinity for `all`). */
  traceMaxFanout: number;
};

export function tracingConfig(env: NodeJS.ProcessEnv): TracingConfig {
  return { zipkinUrl: zipkinUrl(env), traceSampleRatio: sampleRatio(env), traceMaxFanout: maxFanout(env) };
}

/** ORCH_ZIPKIN_URL: Zipkin's base URL (its span endpoint /api/v2/spans is added) or the endpoint itself. */
function zipkinUrl(env: NodeJS.ProcessEnv): string | null {
  const raw = env.ORCH_ZIPKIN_URL;
  if (!raw || raw === 'off') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`ORCH_ZIPKIN_URL must be an http(s) URL such as http://127.0.0.1:9411, not "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('ORCH_ZIPKIN_URL must be an http or https URL');
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/api/v2/spans';
  return url.toString();
}

/** ORCH_TRACE_SAMPLE_RATIO: a number from 0 to 1; 1 (every trace) unless set. */
function sampleRatio(env: NodeJS.ProcessEnv): number {
  const raw = env.ORCH_TRACE_SAMPLE_RATIO;
  if (raw === undefined || raw === '') return 1;
  const ratio = Number(raw);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) throw new ConfigError(`ORCH_TRACE_SAMPLE_RATIO must be a number from 0 to 1, got "${raw}"`);
  return ratio;
}

/** ORCH_TRACE_MAX_FANOUT: an integer from 1, or `all` (no limit); 50 unless set. */
const maxFanout = (env: NodeJS.ProcessEnv): number =>
  env.ORCH_TRACE_MAX_FANOUT === 'all' ? Infinity : integer(env, 'ORCH_TRACE_MAX_FANOUT', 50, 1, 1_000_000);
