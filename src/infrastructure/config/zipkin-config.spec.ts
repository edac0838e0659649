import { loadConfig } from './config';
import { ConfigError } from './config-values';

describe('ORCH_ZIPKIN_URL', () => {
  const base = { ORCH_SECRET_KEY: 'ab'.repeat(32), ORCH_DEMO: 'off' };

  it('is off unless set', () => {
    expect(loadConfig(base).zipkinUrl).toBeNull();
    expect(loadConfig({ ...base, ORCH_ZIPKIN_URL: 'off' }).zipkinUrl).toBeNull();
  });

  it("takes Zipkin's base URL (adding its span endpoint) or the endpoint itself", () => {
    expect(loadConfig({ ...base, ORCH_ZIPKIN_URL: 'http://127.0.0.1:9411' }).zipkinUrl).toBe('http://127.0.0.1:9411/api/v2/spans');
    expect(loadConfig({ ...base, ORCH_ZIPKIN_URL: 'https://zipkin.example.org/api/v2/spans' }).zipkinUrl).toBe('https://zipkin.example.org/api/v2/spans');
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => loadConfig({ ...base, ORCH_ZIPKIN_URL: 'zipkin:9411' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ORCH_ZIPKIN_URL: 'not a url' })).toThrow(ConfigError);
  });
});

describe('ORCH_TRACE_SAMPLE_RATIO', () => {
  const base = { ORCH_SECRET_KEY: 'ab'.repeat(32), ORCH_DEMO: 'off' };

  it('records every trace unless set', () => {
    expect(loadConfig(base).traceSampleRatio).toBe(1);
    expect(loadConfig({ ...base, ORCH_TRACE_SAMPLE_RATIO: '0.1' }).traceSampleRatio).toBe(0.1);
    expect(loadConfig({ ...base, ORCH_TRACE_SAMPLE_RATIO: '0' }).traceSampleRatio).toBe(0);
  });

  it('refuses what is not a number from 0 to 1', () => {
    for (const bad of ['1.5', '-0.1', 'half', 'NaN']) expect(() => loadConfig({ ...base, ORCH_TRACE_SAMPLE_RATIO: bad })).toThrow(ConfigError);
  });
});

describe('ORCH_TRACE_MAX_FANOUT', () => {
  const base = { ORCH_SECRET_KEY: 'ab'.repeat(32), ORCH_DEMO: 'off' };

  it('traces the first 50 commands of a request whole unless set; `all` for no limit', () => {
    expect(loadConfig(base).traceMaxFanout).toBe(50);
    expect(loadConfig({ ...base, ORCH_TRACE_MAX_FANOUT: '5' }).traceMaxFanout).toBe(5);
    expect(loadConfig({ ...base, ORCH_TRACE_MAX_FANOUT: 'all' }).traceMaxFanout).toBe(Infinity);
  });

  it('refuses what is not an integer from 1 or `all`', () => {
    for (const bad of ['0', '-3', '2.5', 'many']) expect(() => loadConfig({ ...base, ORCH_TRACE_MAX_FANOUT: bad })).toThrow(ConfigError);
  });
});
