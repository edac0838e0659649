import * as fs from 'node:fs';
import { Mutex } from '../../application/shared/mutex';
import { sleep } from '../../application/shared/sleep';

type Stateful<S> = { exportState(): S; importState(state: S): void; onChange: () => void };

/**
 * One simulated host part's actual state (a hypervisor, a switch, the block storage) kept in a file
 * that several processes share, as they would share a real host: every operation runs under an
 * exclusive lock of the file (one process at a time, across processes), on the state as the file
 * holds it, and writes it back (atomically) before the lock is let go. A lock left by a process
 * that died is broken.
 */
export class SharedStateFile<S> {
  private readonly mutex = new Mutex();
  private seen = '';
  private dirty = false;
  private inside = false;

  constructor(
    private readonly file: string,
    private readonly target: Stateful<S>,
  ) {
    target.onChange = () => {
      if (this.inside) this.dirty = true;
      else this.write(); // a change made outside any operation (a test's out-of-band fault)
    };
    this.refresh();
  }

  /** Runs one operation on the shared state. */
  transact<T>(operation: () => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      const unlock = await lockFile(`${this.file}.lock`);
      this.inside = true;
      try {
        this.refresh();
        return await operation();
      } finally {
        this.inside = false;
        if (this.dirty) this.write();
        unlock();
      }
    });
  }

  /** Reads the file again if another process wrote it since. */
  private refresh(): void {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(this.file);
    } catch {
      return; // nothing written yet
    }
    const version = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
    if (version === this.seen) return;
    this.target.importState(JSON.parse(fs.readFileSync(this.file, 'utf8')) as S);
    this.seen = version;
  }

  private write(): void {
    this.dirty = false;
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.target.exportState()));
    fs.renameSync(tmp, this.file);
    const stat = fs.statSync(this.file);
    this.seen = `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
  }
}

/** How long a lock file may stay empty before it counts as left by a process killed while taking it. */
const EMPTY_LOCK_STALE_MS = 2_000;

/** An exclusive lock between processes: a file created only if absent, holding its owner's pid. */
async function lockFile(lock: string): Promise<() => void> {
  for (let delay = 1; ; delay = Math.min(delay * 2, 4)) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      breakIfOrphaned(lock);
      await sleep(delay);
    }
  }
}

function breakIfOrphaned(lock: string): void {
  let owner: number;
  try {
    owner = Number(fs.readFileSync(lock, 'utf8'));
  } catch {
    return; // let go meanwhile
  }
  if (!Number.isInteger(owner) || owner <= 0) {
    // Being written, or its writer was killed between creating it and writing its pid: a lock
    // left empty for longer than any write takes is broken too, else that host would wait forever.
    const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > EMPTY_LOCK_STALE_MS) fs.rmSync(lock, { force: true });
    return;
  }
  try {
    process.kill(owner, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') fs.rmSync(lock, { force: true });
  }
}
