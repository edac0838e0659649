import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ADMIN_PASSWORD, Backing, RunningApp, bearer, createBacking, startApp } from '../support/app';
import { reportChaos } from '../support/chaos-report';
import { ed25519Key } from '../support/ssh-keys';

/** A tmpfs of `mib` MiB (needs root, as the test command runs in CI). */
function smallDisk(mib: number): { dir: string; release(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mib}m`, 'tmpfs', dir]);
  return { dir, release: () => (execFileSync('umount', ['-l', dir]), fs.rmSync(dir, { recursive: true, force: true })) };
}

/** Fills the file system of `dir` with one file until it is full; returns its path. */
function fill(dir: string): string {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

/**
 * The embedded store's disk full: appends are refused with 503 StoreFull (never a 500), nothing of
 * a refused write is kept, reads go on, and once space is freed writes resume; after a restart the
 * log holds exactly what was acknowledged and verifies.
 */
const isRoot = process.getuid?.() === 0;
(isRoot || process.env.CI === 'true' ? describe : describe.skip)('The embedded store on a full disk', () => {
  let disk: { dir: string; release(): void };
  let backing: Backing;
  let running: RunningApp;
  let token: string;

  beforeAll(async () => {
    disk = smallDisk(16);
    backing = await createBacking('embedded', { ORCH_DATA_DIR: disk.dir, ORCH_RATE_LIMIT_ADDRESS: 'off', ORCH_RATE_LIMIT_USER: 'off' });
    running = await startApp(backing);
    token = await running.login('admin', ADMIN_PASSWORD, 'admin');
  });

  afterAll(async () => {
    await running?.close().catch(() => undefined);
    disk?.release();
  });

  const makeKey = (name: string, seed: number) =>
    running.http
      .post('/v1/keypairs')
      .set(bearer(token))
      .send({ name, publicKey: ed25519Key(seed) });

  it('refuses writes with 503 while full, keeps nothing of them, and resumes once space is freed', async () => {
    const acknowledged: string[] = [];
    for (let i = 0; i < 5; i++) if ((await makeKey(`before-${i}`, 3000 + i)).status === 201) acknowledged.push(`before-${i}`);
    expect(acknowledged).toHaveLength(5);
    const head = await running.store.headPosition();

    const filler = fill(disk.dir);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const response = await makeKey(`during-${i}`, 4000 + i);
      statuses.push(response.status);
      if (response.status === 201) acknowledged.push(`during-${i}`);
      else {
        expect(response.status).toBe(503);
        expect(response.body.error.code).toBe('StoreFull');
        expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
    }
    // The disk was really full: most writes were refused (SQLite may fit a few into pages it had).
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(30);
    expect((await running.http.get('/v1/keypairs').set(bearer(token))).status).toBe(200);

    fs.rmSync(filler);
    const freedAt = Date.now();
    for (let i = 0; i < 5; i++) {
      const response = await makeKey(`after-${i}`, 5000 + i);
      expect(response.status).toBe(201);
      acknowledged.push(`after-${i}`);
    }
    expect(await running.store.headPosition()).toBeGreaterThan(head);

    // A restart on the same files: exactly what was acknowledged, and the log verifies.
    await running.close();
    running = await startApp(backing);
    token = await running.login('admin', ADMIN_PASSWORD, 'admin');
    await running.readModelsCaughtUp();
    const names = ((await running.http.get('/v1/keypairs?limit=1000').set(bearer(token))).body.items as Array<{ name: string }>).map((k) => k.name).sort();
    const recoverSeconds = (Date.now() - freedAt) / 1000;
    const kept = new Set(names);
    reportChaos({
      scenario: 'embedded store on a full disk',
      load: `${statuses.length + 10} key pair writes`,
      faults: '16 MiB tmpfs filled, then freed; restart',
      acknowledged: acknowledged.length,
      lost: acknowledged.filter((name) => !kept.has(name)).length,
      orphans: names.filter((name) => !acknowledged.includes(name)).length,
      fiveXx: statuses.filter((status) => status >= 500 && status !== 503).length,
      recoverSeconds,
    });
    expect(names).toEqual([...acknowledged].sort());
    const verify = await running.http.get('/v1/audit/verify').set(bearer(token));
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true });
  });
});
