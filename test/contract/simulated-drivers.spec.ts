import { SimulatedHypervisor } from '../../src/infrastructure/hypervisor/simulated/simulated-hypervisor';
import { SimulatedBlockStorage } from '../../src/infrastructure/storage/simulated/simulated-block-storage';
import { SimulatedSwitch } from '../../src/infrastructure/switch/simulated/simulated-switch';
import { blockStorageDriverContract } from './block-storage-driver.contract';
import { domainSpec, hypervisorDriverContract } from './hypervisor-driver.contract';
import { switchDriverContract } from './switch-driver.contract';

const noClose = async () => undefined;

describe('HypervisorDriver contract: simulated', () => hypervisorDriverContract(async () => ({ driver: new SimulatedHypervisor(), close: noClose })));
describe('SwitchDriver contract: simulated', () => switchDriverContract(async () => ({ driver: new SimulatedSwitch(), close: noClose })));
describe('BlockStorageDriver contract: simulated', () => blockStorageDriverContract(async () => ({ driver: new SimulatedBlockStorage(), close: noClose })));

describe('Simulated drivers: fault injection', () => {
  it('fails an operation at its configured rate, repeatably for a seed', async () => {
    const run = async () => {
      const driver = new SimulatedHypervisor({ failureRate: { define: 0.3 }, seed: 7 });
      const outcomes: string[] = [];
      for (let i = 0; i < 200; i++)
        outcomes.push(
          await driver.define(domainSpec(`i-${i}`)).then(
            () => 'ok',
            (e: { kind: string }) => e.kind,
          ),
        );
      return outcomes;
    };
    const first = await run();
    const failures = first.filter((o) => o === 'transient').length;
    expect(failures).toBeGreaterThan(40);
    expect(failures).toBeLessThan(80);
    expect(await run()).toEqual(first);
  });

  it('answers every call as unreachable while the host is down', async () => {
    const driver = new SimulatedHypervisor();
    driver.simulation.hostDown = true;
    await expect(driver.list()).rejects.toMatchObject({ kind: 'unreachable' });
    driver.simulation.hostDown = false;
    await expect(driver.list()).resolves.toEqual([]);
  });

  it('loses a domain on its own, with a lifecycle event', async () => {
    const driver = new SimulatedHypervisor();
    const kinds: string[] = [];
    driver.onLifecycle((e) => kinds.push(e.kind));
    await driver.define(domainSpec('i-1'));
    await driver.start('i-1');
    driver.killDomain('i-1');
    expect(await driver.list()).toEqual([{ instanceId: 'i-1', powerState: 'crashed' }]);
    expect(kinds).toEqual(['started', 'crashed']);
  });

  it('delays operations by the configured latency', async () => {
    const driver = new SimulatedSwitch({ latencyMs: 30 });
    const started = Date.now();
    await driver.listPorts();
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});
