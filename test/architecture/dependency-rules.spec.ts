import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Runs the project's dependency rules on a scratch tree; returns the report and whether it failed. */
function cruise(files: Record<string, string>): { failed: boolean; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-deps-'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true } }));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  try {
    const output = execFileSync(path.join(ROOT, 'node_modules/.bin/depcruise'), ['src', '--config', path.join(ROOT, '.dependency-cruiser.js')], {
      cwd: dir,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return { failed: false, output };
  } catch (error) {
    const e = error as { stdout: string; stderr: string };
    return { failed: true, output: `${e.stdout}${e.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('dependency rules', () => {
  it('pass on the real source tree', () => {
    const output = execFileSync(path.join(ROOT, 'node_modules/.bin/depcruise'), ['src', '--config', '.dependency-cruiser.js'], { cwd: ROOT, encoding: 'utf8' });
    expect(output).toContain('no dependency violations found');
  });

  it('fail when the domain imports a framework, node I/O or an outer layer', () => {
    const { failed, output } = cruise({
      'src/domain/identity/a.ts':
        "import { Injectable } from '@nestjs/common';\nimport * as fs from 'node:fs';\nimport { x } from '../../application/b';\nexport const a = [Injectable, fs, x];\n",
      'src/application/b.ts': 'export const x = 1;\n',
    });
    expect(failed).toBe(true);
    expect(output).toContain('domain-has-no-frameworks');
    expect(output).toContain('domain-is-pure');
  });

  it("fail when one bounded context imports another's aggregate", () => {
    const { failed, output } = cruise({
      'src/domain/compute/instance.ts': "import { projectDecider } from '../identity/project';\nexport const i = projectDecider;\n",
      'src/domain/identity/project.ts': 'export const projectDecider = 1;\n',
    });
    expect(failed).toBe(true);
    expect(output).toContain('no-foreign-aggregates-from-compute');
  });

  it('fail when the application or the HTTP layer imports an adapter', () => {
    const { failed, output } = cruise({
      'src/application/use-case.ts': "import { db } from '../infrastructure/db';\nexport const u = db;\n",
      'src/interfaces/http/c.ts': "import { db } from '../../infrastructure/db';\nexport const c = db;\n",
      'src/infrastructure/db.ts': 'export const db = 1;\n',
    });
    expect(failed).toBe(true);
    expect(output).toContain('application-not-on-adapters');
    expect(output).toContain('interfaces-not-on-adapters');
  });

  it("fail when a context's application code reaches into another context past its public entry, or into its domain", () => {
    const { failed, output } = cruise({
      'src/application/compute/worker.ts':
        "import { attach } from '../network/attachments';\nimport { networkDecider } from '../../domain/network/network';\nexport const w = [attach, networkDecider];\n",
      'src/application/network/attachments.ts': 'export const attach = 1;\n',
      'src/domain/network/network.ts': 'export const networkDecider = 1;\n',
      'src/application/billing/queries.ts': "import { readModel } from '../compute/read-model';\nexport const q = readModel;\n",
      'src/application/compute/read-model.ts': 'export const readModel = 1;\n',
    });
    expect(failed).toBe(true);
    expect(output).toContain('only-public-entries-from-compute');
    expect(output).toContain('no-foreign-aggregates-from-compute');
    expect(output).toContain('only-public-entries-from-billing');
  });

  it('pass when a context uses another through its public entry', () => {
    const { failed, output } = cruise({
      'src/application/compute/worker.ts': "import { NetworkAttachments } from '../network/public';\nexport const w = NetworkAttachments;\n",
      'src/application/network/public.ts': "export { NetworkAttachments } from './attachments';\n",
      'src/application/network/attachments.ts': 'export const NetworkAttachments = 1;\n',
    });
    expect(output).toContain('no dependency violations found');
    expect(failed).toBe(false);
  });

  it('fail when shared code depends on a context, or a context on what is built above the contexts', () => {
    const { failed, output } = cruise({
      'src/application/shared/helper.ts': "import { quota } from '../identity/public';\nexport const h = quota;\n",
      'src/application/identity/public.ts': 'export const quota = 1;\n',
      'src/application/storage/worker.ts': "import { relay } from '../integration/relay';\nexport const w = relay;\n",
      'src/application/integration/relay.ts': "import { internal } from '../storage/internal';\nexport const relay = internal;\n",
      'src/application/storage/internal.ts': 'export const internal = 1;\n',
    });
    expect(failed).toBe(true);
    expect(output).toContain('shared-is-shared');
    expect(output).toContain('no-platform-features-from-storage');
    expect(output).toContain('platform-features-through-public-entries');
  });
});
