import { BlockStorageDriver } from '../../src/application/storage/ports/block-storage-driver.port';

/**
 * The one suite every BlockStorageDriver must pass. `guest` makes an instance exist for a driver
 * that attaches to real guests (a defined domain); the simulated one needs none.
 */
export function blockStorageDriverContract(
  make: () => Promise<{ driver: BlockStorageDriver; close(): Promise<void>; guest?(instanceId: string): Promise<void> }>,
): void {
  let driver: BlockStorageDriver;
  let close: () => Promise<void>;
  let guest: (instanceId: string) => Promise<void>;
  beforeEach(async () => {
    const made = await make();
    ({ driver, close } = made);
    guest = made.guest ?? (async () => undefined);
  });
  afterEach(async () => close());

  it('creates, attaches (devices in order), detaches and deletes volumes, idempotently', async () => {
    await guest('inst-c1');
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
    await driver.deleteVolume('vol-c1');
    await driver.deleteVolume('vol-c1');
    expect((await driver.list()).map((v) => v.volumeId)).toEqual(['vol-c2']);
  });

  it('takes snapshots that outlive their volume, restores a volume from one, and deletes them idempotently', async () => {
    await driver.createVolume({ volumeId: 'vol-s1', sizeGiB: 1, sourceImage: null });
    await driver.snapshot('vol-s1', 'snap-s1');
    await driver.snapshot('vol-s1', 'snap-s1');
    await driver.deleteVolume('vol-s1');
    expect(await driver.listSnapshots()).toEqual([{ snapshotId: 'snap-s1', volumeId: 'vol-s1' }]);
    await driver.createVolume({ volumeId: 'vol-s2', sizeGiB: 2, sourceImage: null, sourceSnapshotId: 'snap-s1' });
    expect((await driver.list()).map((v) => v.volumeId)).toContain('vol-s2');
    await driver.deleteSnapshot('snap-s1');
    await driver.deleteSnapshot('snap-s1');
    expect(await driver.listSnapshots()).toEqual([]);
    await expect(driver.snapshot('vol-none', 'snap-s2')).rejects.toMatchObject({ kind: 'not_found' });
    await expect(driver.createVolume({ volumeId: 'vol-s3', sizeGiB: 1, sourceImage: null, sourceSnapshotId: 'snap-none' })).rejects.toMatchObject({
      kind: 'not_found',
    });
  });

  it('grows a volume, never shrinks it, idempotently', async () => {
    await driver.createVolume({ volumeId: 'vol-e1', sizeGiB: 1, sourceImage: null });
    await driver.extendVolume('vol-e1', 3);
    await driver.extendVolume('vol-e1', 3);
    await driver.extendVolume('vol-e1', 2);
    expect((await driver.list()).find((v) => v.volumeId === 'vol-e1')?.sizeGiB).toBe(3);
    await expect(driver.extendVolume('vol-none', 2)).rejects.toMatchObject({ kind: 'not_found' });
    await driver.deleteVolume('vol-e1');
  });

  it('reports attaching an unknown volume as not found', async () => {
    await expect(driver.attach('vol-none', 'inst-c1')).rejects.toMatchObject({ kind: 'not_found' });
  });
}
