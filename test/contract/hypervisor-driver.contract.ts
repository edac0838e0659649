import { DomainSpec, HypervisorDriver, LifecycleEvent } from '../../src/application/compute/ports/hypervisor-driver.port';
import { DriverError } from '../../src/application/shared/driver-error';

export const domainSpec = (instanceId: string): DomainSpec => ({
  instanceId,
  hostname: instanceId,
  vcpus: 1,
  ramMiB: 256,
  imageSource: 'test-image',
  rootVolumeId: null,
  nics: [{ portId: `port-${instanceId}`, mac: 'fa:16:3e:00:00:01', ip: '10.0.0.2', prefix: 24, gateway: '10.0.0.1', vlan: 100 }],
  sshPublicKey: null,
  userData: null,
});

/** The one suite every HypervisorDriver must pass (simulated and libvirt). `spec` makes a guest the driver can boot. */
export function hypervisorDriverContract(
  make: () => Promise<{ driver: HypervisorDriver; close(): Promise<void> }>,
  options: { bootTimeoutMs?: number; spec?: (instanceId: string) => DomainSpec; consoleAfterBoot?: (instanceId: string) => RegExp } = {},
): void {
  const bootTimeoutMs = options.bootTimeoutMs ?? 5_000;
  const specOf = options.spec ?? domainSpec;
  let driver: HypervisorDriver;
  let close: () => Promise<void>;
  let events: LifecycleEvent[];
  let unsubscribe: () => void;
  const id = () =>
    `00000000-0000-4000-8000-${Math.floor(Math.random() * 1e12)
      .toString()
      .padStart(12, '0')}`;

  beforeEach(async () => {
    ({ driver, close } = await make());
    events = [];
    unsubscribe = driver.onLifecycle((e) => events.push(e));
  });

  afterEach(async () => {
    unsubscribe();
    await close();
  });

  const powerOf = async (instanceId: string) => (await driver.list()).find((d) => d.instanceId === instanceId)?.powerState;

  it('defines, starts until ready, shuts down, and undefines a guest', async () => {
    const instanceId = id();
    await driver.define(specOf(instanceId));
    expect(await powerOf(instanceId)).toBe('shutdown');
    await driver.start(instanceId);
    expect(await driver.waitUntilReady(instanceId, bootTimeoutMs)).toBe(true);
    expect(await powerOf(instanceId)).toBe('running');
    expect(await driver.consoleOutput(instanceId, 64 * 1024)).toMatch(options.consoleAfterBoot?.(instanceId) ?? /^$/);
    expect((await driver.consoleOutput(instanceId, 16)).length).toBeLessThanOrEqual(16);
    expect(await driver.consoleOutput(id(), 1024)).toBe('');
    expect(await driver.shutdown(instanceId, 2_000)).toMatch(/graceful|forced/);
    expect(await powerOf(instanceId)).toBe('shutdown');
    await driver.undefine(instanceId);
    expect(await powerOf(instanceId)).toBeUndefined();
    expect(events.filter((e) => e.instanceId === instanceId).map((e) => e.kind)).toEqual(expect.arrayContaining(['started', 'stopped']));
  });

  it('is idempotent: define twice, start twice, destroy an off guest, undefine a missing one', async () => {
    const instanceId = id();
    await driver.define(specOf(instanceId));
    await driver.define(specOf(instanceId));
    await driver.start(instanceId);
    await driver.start(instanceId);
    await driver.destroy(instanceId);
    await driver.destroy(instanceId);
    await driver.undefine(instanceId);
    await driver.undefine(instanceId);
    expect(await powerOf(instanceId)).toBeUndefined();
  });

  it('reboots soft and hard, and refuses a soft reboot of an off guest', async () => {
    const instanceId = id();
    await driver.define(specOf(instanceId));
    await driver.start(instanceId);
    await driver.reboot(instanceId, 'soft');
    expect(await powerOf(instanceId)).toBe('running');
    await driver.destroy(instanceId);
    await expect(driver.reboot(instanceId, 'soft')).rejects.toBeInstanceOf(DriverError);
    await driver.reboot(instanceId, 'hard');
    expect(await powerOf(instanceId)).toBe('running');
    await driver.destroy(instanceId);
    await driver.undefine(instanceId);
  });

  it('starts a guest paused, which becomes ready only once resumed', async () => {
    const instanceId = id();
    await driver.define(specOf(instanceId));
    await driver.start(instanceId, { paused: true });
    expect(await powerOf(instanceId)).toBe('paused');
    expect(await driver.waitUntilReady(instanceId, 1_000)).toBe(false);
    await driver.resume(instanceId);
    await driver.resume(instanceId);
    expect(await driver.waitUntilReady(instanceId, bootTimeoutMs)).toBe(true);
    expect(await powerOf(instanceId)).toBe('running');
    await driver.destroy(instanceId);
    await driver.undefine(instanceId);
  });

  it('reports an unknown guest as not found', async () => {
    await expect(driver.start(id())).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('times out waiting for a guest that never starts', async () => {
    const instanceId = id();
    await driver.define(specOf(instanceId));
    expect(await driver.waitUntilReady(instanceId, 50)).toBe(false);
    await driver.undefine(instanceId);
  });
}
