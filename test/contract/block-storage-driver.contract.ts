import { BlockStorageDriver } from '../../src/application/storage/ports/block-storage-driver.port';

export function blockStorageDriverContract(make: () => Promise<{ driver: BlockStorageDriver; close(): Promise<void> }>): void {
  let driver: BlockStorageDriver;
  let close: () => Promise<void>;
  beforeEach(async () => ({ driver, close } = await make()));
  afterEach(async () => close());

  it('creates, attaches (devices in order), detaches and deletes volumes, idempotently', async () => {
    await driver.createVolume({ volumeId: 'vol-c1', sizeGiB: 1, sourceImage: null });
    await driver.createVolume({ volumeId: 'vol-c1', sizeGiB: 1, sourceImage: null });
    await driver.createVolume({ volumeId: 'vol-c2', sizeGiB: 2, sourceImage: null });
    expect(await driver.attach('vol-c1', 'inst-c1')).toBe('vdb');
    expect(await driver.attach('vol-c1', 'inst-c1')).toBe('vdb');
    expect(await driver.attach('vol-c2', 'inst-c1')).toBe('vdc');
    expect((await driver.list()).find((v) => v.volumeId === 'vol-c1')).toMatchObject({ attachedTo: 'inst-c1', device: 'vdb' });
    await expect(driver.deleteVolume('vol-c1')).rejects.toMatchObject({ kind: 'invalid' });
    await driver.detach('vol-c1', 'inst-c1');
    await driver.detach('vol-c1', 'inst-c1');
    await driver.snapshot('vol-c1', 'snap-c1');
    await driver.deleteVolume('vol-c1');
    await driver.deleteVolume('vol-c1');
    expect((await driver.list()).map((v) => v.volumeId)).toEqual(['vol-c2']);
  });

  it('reports attaching an unknown volume as not found', async () => {
    await expect(driver.attach('vol-none', 'inst-c1')).rejects.toMatchObject({ kind: 'not_found' });
  });
}
