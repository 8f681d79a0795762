import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostExec } from '../../src/exec/host-exec.ts';
import type { ScenarioResult } from '../../src/report/result.ts';
import { writeResults } from '../../src/report/write-results.ts';
import { runForTest } from '../integration/scenario-run.ts';

/**
 * The HTML report of a real docker-port-publishing run (outside clients, a
 * router, the host, published and unpublished ports), opened in Debian's
 * chromium. The screenshot is saved beside the report for a person to look at.
 */
const dir = resolve('results/browser');
const scenario = 'docker-port-publishing';

describe(`the HTML report of a real ${scenario} run, in chromium`, () => {
  let result: ScenarioResult;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    const run = await runForTest(scenario, `br${process.pid}`);
    await run.expectCleanAndContained();
    result = run.result;
    await rm(join(dir, `${scenario}.html`), { force: true });
    await mkdir(dir, { recursive: true });
    await writeResults(result, dir);
    const executablePath = (await hostExec(['sh', '-c', 'command -v chromium'])).stdout.trim();
    if (!executablePath) throw new Error("chromium is not installed: run the tests with 'npm test' (scripts/browser.sh installs Debian's chromium)");
    // --no-sandbox: the tests run as root, where Chromium's own sandbox refuses to start.
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    page.on('console', (message) => void (message.type() === 'error' && consoleErrors.push(message.text())));
    page.on('pageerror', (error) => void consoleErrors.push(error.message));
    page.on('request', (request) => void requests.push(request.url()));
    await page.goto(pathToFileURL(join(dir, `${scenario}.html`)).href, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('loads with no console error and nothing requested beyond the file itself', () => {
    expect(consoleErrors).toEqual([]);
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('draws one arrow per attempt that went somewhere, coloured by its verdict', async () => {
    const attempts = result.claims.flatMap((c) => c.attempts.map((a, i) => ({ claim: c.id, index: i + 1, attempt: a })));
    const targeted = attempts.filter((a) => a.attempt.target);
    // The connections from the host, the outside clients and the published port at least; rule checks have no target.
    expect(targeted.length).toBeGreaterThanOrEqual(4);
    await expect(page.locator('svg g.edge.attempt').count()).resolves.toBe(targeted.length);
    for (const { claim, index, attempt } of targeted) {
      await expect(page.locator(`svg g#attempt-${claim}-${index}`).getAttribute('class')).resolves.toContain(`verdict-${attempt.verdict}`);
    }
  });

  it('shows the outside clients, the router, the host and the published container in the picture', async () => {
    const text = await page.locator('.topology svg').textContent();
    for (const place of ['outside', 'outside-routed', 'router', 'host namespace', 'docker0', 'web', 'lab LAN']) expect(text).toContain(place);
    // The outside clients reach the host's LAN address (D18) and try the container's own address (D17).
    await expect(page.locator('svg g.place.outside-client').count()).resolves.toBe(2);
    await expect(page.locator('svg g.place.router').count()).resolves.toBe(1);
  });

  it("shows each claim's verdict, and the refuted filter hides the rest", async () => {
    for (const claim of result.claims) {
      const badge = page.locator(`#claim-${claim.id} h2 .badge`);
      await expect(badge.isVisible()).resolves.toBe(true);
      await expect(badge.textContent()).resolves.toBe(claim.verdict);
    }
    await page.screenshot({ path: join(dir, `${scenario}.png`), fullPage: true });
    await page.locator('.filters button[data-filter="refuted"]').click();
    for (const claim of result.claims) {
      await expect(page.locator(`#claim-${claim.id}`).isVisible()).resolves.toBe(claim.verdict === 'refuted');
    }
  });

  it('folds the evidence by default', async () => {
    const details = page.locator('section.claim details');
    expect(await details.count()).toBeGreaterThan(0);
    const open = await details.evaluateAll((all) => all.filter((d) => (d as unknown as { open: boolean }).open).length);
    expect(open).toBe(0);
  });
});
