import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReport, type OpenedReport } from './open-report.ts';

/**
 * The HTML reports of real runs, opened in Debian's chromium: docker-port-publishing
 * (outside clients behind a router, the host, a published container) and
 * docker-two-hosts (two Docker hosts, each numbering its own docker0). The
 * screenshots are saved beside the reports for a person to look at.
 */
const arrowsOf = (report: OpenedReport) =>
  report.result.claims.flatMap((c) => c.attempts.map((a, i) => ({ claim: c.id, index: i + 1, attempt: a }))).filter((a) => a.attempt.target);

describe('the HTML report of a real docker-port-publishing run, in chromium', () => {
  let report: OpenedReport;
  beforeAll(async () => void (report = await openReport('docker-port-publishing', `br${process.pid}`)));
  afterAll(async () => report?.close());

  it('loads with no console error and nothing requested beyond the file itself', () => {
    expect(report.consoleErrors).toEqual([]);
    expect(report.requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    expect(report.requests).toHaveLength(1);
  });

  it('draws one arrow per attempt that went somewhere, coloured by its verdict', async () => {
    const targeted = arrowsOf(report);
    // The connections from the host, the outside clients and the published port at least; rule checks have no target.
    expect(targeted.length).toBeGreaterThanOrEqual(4);
    await expect(report.page.locator('svg g.edge.attempt').count()).resolves.toBe(targeted.length);
    for (const { claim, index, attempt } of targeted) {
      await expect(report.page.locator(`svg g#attempt-${claim}-${index}`).getAttribute('class')).resolves.toContain(`verdict-${attempt.verdict}`);
    }
  });

  it('shows the outside clients, the router, the host and the published container in the picture', async () => {
    const text = await report.page.locator('.topology svg').textContent();
    for (const place of ['outside', 'outside-routed', 'router', 'host namespace', 'docker0', 'web', 'lab LAN']) expect(text).toContain(place);
    await expect(report.page.locator('svg g.place.outside-client').count()).resolves.toBe(2);
    await expect(report.page.locator('svg g.place.router').count()).resolves.toBe(1);
    // An arrow whose server answered ends at that server's workload (np-<run>-<workload>).
    const answered = arrowsOf(report).filter((a) => a.attempt.answeredBy);
    expect(answered.length).toBeGreaterThan(0);
    for (const { claim, index, attempt } of answered) {
      const workload = attempt.answeredBy!.replace(`np-${report.result.runId}-`, '');
      await expect(report.page.locator(`svg g#attempt-${claim}-${index} title`).textContent()).resolves.toMatch(new RegExp(`->w:${workload}$`));
    }
  });

  it("shows each claim's verdict, and the refuted filter hides the rest", async () => {
    for (const claim of report.result.claims) {
      const badge = report.page.locator(`#claim-${claim.id} h2 .badge`).first();
      await expect(badge.isVisible()).resolves.toBe(true);
      await expect(badge.textContent()).resolves.toBe(claim.verdict);
    }
    await report.screenshot();
    await report.page.locator('.filters button[data-filter="refuted"]').click();
    for (const claim of report.result.claims) {
      await expect(report.page.locator(`#claim-${claim.id}`).isVisible()).resolves.toBe(claim.verdict === 'refuted');
    }
  });

  it('folds the evidence by default', async () => {
    const details = report.page.locator('section.claim details');
    expect(await details.count()).toBeGreaterThan(0);
    const open = await details.evaluateAll((all) => all.filter((d) => (d as unknown as { open: boolean }).open).length);
    expect(open).toBe(0);
  });
});

describe('the HTML report of a real docker-two-hosts run, in chromium', () => {
  let report: OpenedReport;
  beforeAll(async () => void (report = await openReport('docker-two-hosts', `bt${process.pid}`)));
  afterAll(async () => report?.close());

  it('draws both Docker hosts inside the lab host, each with its own docker0 and containers', async () => {
    expect(report.consoleErrors).toEqual([]);
    expect(report.requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    for (const host of ['hostA', 'hostB']) {
      await expect(report.page.locator(`svg g#machine-w\\:${host}.cluster`).count()).resolves.toBe(1);
    }
    await report.screenshot();
  });

  it("ends D20's arrows where the packet went: web2's address, the client itself, web1 over the overlay", async () => {
    const targeted = arrowsOf(report);
    await expect(report.page.locator('svg g.edge.attempt').count()).resolves.toBe(targeted.length);
    const end = (index: number) => report.page.locator(`svg g#attempt-D20-${index} title`).textContent();
    // 172.17.0.3 exists only on host B; 172.17.0.2 is the client's own address on host A.
    await expect(end(1)).resolves.toBe('w:client->w:web2');
    await expect(end(2)).resolves.toBe('w:client->w:client');
    // The request over the overlay, answered by web1 (its overlay address is on no interface the run recorded).
    const d20 = report.result.claims.find((c) => c.id === 'D20')!;
    const overlay = d20.attempts.findIndex((a) => a.answeredBy?.endsWith('-web1'));
    expect(overlay).toBeGreaterThan(1);
    await expect(end(overlay + 1)).resolves.toBe('w:client->w:web1');
    await expect(report.page.locator('#claim-D20 h2 .badge').first().textContent()).resolves.toBe(d20.verdict);
  });
});
