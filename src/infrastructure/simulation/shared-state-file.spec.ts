import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SharedStateFile } from './shared-state-file';

describe('SharedStateFile', () => {
  it('breaks a lock its taker left empty (killed between creating it and writing its pid)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-shared-state-'));
    const file = path.join(dir, 'hypervisor-h.json');
    let state = { domains: 0 };
    const target = { exportState: () => state, importState: (s: typeof state) => void (state = s), onChange: () => undefined };
    const shared = new SharedStateFile(file, target);
    fs.writeFileSync(`${file}.lock`, '');
    const past = new Date(Date.now() - 10_000);
    fs.utimesSync(`${file}.lock`, past, past);
    const result = await shared.transact(async () => {
      state = { domains: 1 };
      target.onChange();
      return 'done';
    });
    expect(result).toBe('done');
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 5_000);
});
