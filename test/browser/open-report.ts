import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { hostExec } from '../../src/exec/host-exec.ts';
import type { ScenarioResult } from '../../src/report/result.ts';
import { writeResults } from '../../src/report/write-results.ts';
import { runForTest } from '../integration/scenario-run.ts';

/** Where the browser tests write reports and screenshots (results/ is kept as a CI artifact). */
export const reportDir = resolve('results/browser');

export interface OpenedReport {
  readonly result: ScenarioResult;
  readonly page: Page;
  readonly consoleErrors: readonly string[];
  /** Every URL the page requested, the file itself included. */
  readonly requests: readonly string[];
  screenshot(): Promise<void>;
  close(): Promise<void>;
}

/** Runs a scenario for real, writes its reports, and opens the HTML one in Debian's chromium. */
export async function openReport(scenario: string, runId: string): Promise<OpenedReport> {
  const run = await runForTest(scenario, runId);
  await run.expectCleanAndContained();
  await mkdir(reportDir, { recursive: true });
  await rm(join(reportDir, `${scenario}.html`), { force: true });
  await writeResults(run.result, reportDir);
  const executablePath = (await hostExec(['sh', '-c', 'command -v chromium'])).stdout.trim();
  if (!executablePath) throw new Error("chromium is not installed: run the tests with 'npm test' (scripts/browser.sh installs Debian's chromium)");
  // --no-sandbox: the tests run as root, where Chromium's own sandbox refuses to start.
  const browser: Browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => void (message.type() === 'error' && consoleErrors.push(message.text())));
  page.on('pageerror', (error) => void consoleErrors.push(error.message));
  page.on('request', (request) => void requests.push(request.url()));
  await page.goto(pathToFileURL(join(reportDir, `${scenario}.html`)).href, { waitUntil: 'load' });
  return {
    result: run.result,
    page,
    consoleErrors,
    requests,
    screenshot: async () => void (await page.screenshot({ path: join(reportDir, `${scenario}.png`), fullPage: true })),
    close: () => browser.close(),
  };
}
