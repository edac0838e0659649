import * as fs from 'node:fs';
import * as path from 'node:path';
import { Browser, Page, chromium } from 'playwright-core';
import { ADMIN_PASSWORD } from '../support/app';
import { ClusterBacking, Orchestrator, createClusterBacking, startOrchestrator } from '../support/cluster';
import { REPO_ROOT } from '../support/processes';
import { describeWithChromium } from '../support/services';

/** Screenshots of every page, kept as the suite's artifacts. */
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'console');

/**
 * The web console in a real browser: Debian's chromium, headless, driven by playwright-core,
 * against an orchestrator process on a demo cloud, with the console as `npm run build` makes it.
 */
describeWithChromium('Web console (real chromium, real orchestrator process)', () => {
  let backing: ClusterBacking;
  let orchestrator: Orchestrator;
  let browser: Browser;
  let page: Page;
  let beforeStop = 0;
  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const stateOf = (list: string, name: string) => page.locator(`table[data-list="${list}"] [data-instance="${name}"]`);

  beforeAll(async () => {
    fs.rmSync(ARTIFACTS, { recursive: true, force: true });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    backing = await createClusterBacking({ ORCH_DEMO: 'on', ORCH_SIM_LATENCY_MS: '40' });
    orchestrator = await startOrchestrator(backing);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await orchestrator?.stop('SIGKILL');
    await backing?.destroy();
  });

  it('logs in and shows the dashboard: instances by state, host utilisation, quota use', async () => {
    await page.goto(`${orchestrator.url}/console/`);
    await page.getByLabel('User').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByRole('table', { name: 'Host utilisation' }).getByText('demo-host-3').waitFor();
    await page.getByRole('table', { name: 'Quota use per project' }).getByText('admin').waitFor();
    await shot('01-dashboard');
  });

  it('launches 20 instances from the form and shows them becoming active, live', async () => {
    await page.getByRole('link', { name: 'Instances' }).click();
    await page.getByLabel('Name', { exact: true }).fill('web');
    await page.getByLabel('Flavor').selectOption('m1.tiny');
    await page.getByLabel('Count').fill('20');
    await page.getByRole('button', { name: 'Launch' }).click();
    const summary = page.locator('.launch-summary');
    await summary.waitFor();
    const seen = new Set<string>();
    // The progress is drawn from the event stream as it goes: some active before all are.
    for (let i = 0; i < 600 && !(await summary.textContent())?.includes('20 active'); i++) {
      seen.add((await summary.textContent()) ?? '');
      await page.waitForTimeout(50);
    }
    expect(await summary.textContent()).toContain('20 active, 0 error');
    expect([...seen].some((text) => /Launch of 20: .*\b([1-9]|1\d) active/.test(text))).toBe(true);
    await shot('02-launch-progress');
    await page.waitForFunction(`document.querySelectorAll('table[data-list="Instances now"] .state-active').length === 20`, undefined, { timeout: 20_000 });
    await shot('03-instances');
  });

  it('stops one, then the time slider shows it active before the stop; deletes one', async () => {
    const head = async () =>
      ((await (await fetch(`${orchestrator.url}/v1/events/head`, { headers: { Authorization: `Bearer ${await token()}` } })).json()) as { position: number })
        .position;
    beforeStop = await head();
    await page.getByRole('button', { name: 'stop web-3' }).click();
    await expectText(stateOf('Instances now', 'web-3'), 'stopped');
    await shot('04-stopped');
    await page.getByLabel('Moment (event position)').fill(String(beforeStop));
    await expectText(stateOf(`Instances as of position ${beforeStop}`, 'web-3'), 'active');
    await shot('05-time-slider');
    await page.getByRole('button', { name: 'delete web-5' }).click();
    await page.waitForFunction(`!document.querySelector('table[data-list="Instances now"] [data-instance="web-5"]')`, undefined, { timeout: 20_000 });
    expect(await stateOf('Instances now', 'web-4').textContent()).toBe('active');
    await shot('06-deleted');
  });

  it("shows an instance's history from the log, and the instance as of before its stop", async () => {
    await page.getByRole('table', { name: 'Instances now' }).getByRole('link', { name: 'web-3', exact: true }).click();
    const history = page.getByRole('table', { name: 'History of web-3' });
    await history.getByText('InstanceStopped', { exact: true }).waitFor();
    await history.getByText('InstanceActivated', { exact: true }).waitFor();
    expect(await page.getByRole('table', { name: 'web-3 now' }).getByText('stopped', { exact: true }).count()).toBe(1);
    // Its own slider, over its own events: before the stop it was active.
    await page.getByLabel('Moment (event position)').fill(String(beforeStop));
    await page
      .getByRole('table', { name: `As of position ${beforeStop}` })
      .getByText('active', { exact: true })
      .waitFor();
    await shot('07-instance-history');
  });

  it('shows the other resources, billing as a chart, and the audit log with its integrity check', async () => {
    for (const [link, table] of [
      ['Volumes', 'Volumes'],
      ['Networks', 'Networks'],
      ['Security groups', 'Security groups'],
      ['Floating IPs', 'Floating IPs'],
      ['Key pairs', 'Key pairs'],
    ]) {
      await page.getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('table', { name: table }).waitFor();
      await shot(`08-${link.toLowerCase().replace(/ /g, '-')}`);
    }
    // Create a volume from its form, see it in the live list, then read its history and its slider.
    await page.getByRole('link', { name: 'Volumes', exact: true }).click();
    await page.getByLabel('Volume name').fill('data');
    await page.getByLabel('Size (GiB)').fill('1');
    await page.getByRole('button', { name: 'Create' }).click();
    await expectText(page.getByRole('table', { name: 'Volumes' }).getByRole('row').filter({ hasText: 'data' }), 'available');
    await page.getByRole('link', { name: 'history of data' }).click();
    await page.getByRole('cell', { name: 'VolumeCreated', exact: true }).waitFor();
    const slider = page.getByLabel('Moment (event position)');
    const first = (await slider.getAttribute('min')) as string;
    await slider.fill(first);
    await expectText(
      page
        .getByRole('table', { name: `As of position ${first}` })
        .getByRole('row')
        .filter({ hasText: 'status' }),
      'creating',
    );
    await shot('08-volume-history');
    await page.getByRole('link', { name: 'Networks', exact: true }).click();
    await page.getByRole('table', { name: 'Networks' }).getByText('private').waitFor();
    await page.getByRole('link', { name: 'Billing' }).click();
    await page.getByRole('img', { name: /Cost per hour/ }).waitFor();
    await page.getByRole('table', { name: 'Cost by meter' }).getByText('instance').waitFor();
    await shot('09-billing');
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Event types').fill('InstanceStopped');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('table', { name: 'Events' }).getByText('InstanceStopped').waitFor();
    expect(await page.getByRole('table', { name: 'Events' }).locator('tbody tr').count()).toBe(1);
    await page.getByRole('button', { name: 'Verify integrity' }).click();
    await expectText(page.getByRole('status').filter({ hasText: 'Integrity' }), 'hash chain intact');
    await shot('10-audit');
  });

  it('labels every control and is usable by keyboard and at a phone width', async () => {
    for (const hash of ['#/dashboard', '#/instances', '#/volumes', '#/audit']) {
      await page.goto(`${orchestrator.url}/console/${hash}`);
      await page.locator('main h2').waitFor();
      const unlabelled = await page.evaluate<string[]>(
        `[...document.querySelectorAll('input, select, button')]
          .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || (el.tagName === 'BUTTON' && el.textContent.trim())))
          .map((el) => el.outerHTML)`,
      );
      expect({ hash, unlabelled }).toEqual({ hash, unlabelled: [] });
    }
    // On a fresh load the first Tab reaches the skip link, and following it puts the focus in the page's main region.
    await page.reload();
    await page.locator('main h2').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate<string>('document.activeElement?.id')).toBe('main');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement?.tagName')).toMatch(/^(BUTTON|INPUT|A|SELECT)$/);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${orchestrator.url}/console/#/instances`);
    await page.getByRole('table', { name: 'Instances now' }).waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot('11-phone-instances');
  });

  async function token(): Promise<string> {
    return page.evaluate<string>(`sessionStorage.getItem('orch.token')`);
  }
});

async function expectText(locator: import('playwright-core').Locator, text: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if ((await locator.count()) > 0 && ((await locator.first().textContent()) ?? '').includes(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`"${text}" never showed in ${locator.toString()}: ${(await locator.count()) > 0 ? await locator.first().textContent() : 'nothing'}`);
}
