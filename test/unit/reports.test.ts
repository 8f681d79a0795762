import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/report/junit.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { renderTable } from '../../src/report/table.ts';
import { scenarioResult } from '../fixtures/scenario-result.ts';

describe('terminal table', () => {
  const table = renderTable(scenarioResult);
  it('has one row per attempt with claim, connection, expected, observed, verdict and time', () => {
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^claim\s+connection string\s+expected\s+observed\s+verdict\s+time$/);
    expect(lines[2]).toMatch(/^D1\s+DATABASES HOST='172\.17\.0\.1' PORT=5432\s+connects\s+timeout\(5003ms\)\s+refuted\s+5\.0 s$/);
    expect(lines[3]).toMatch(/^\s+DATABASES HOST='172\.18\.0\.1' PORT=5432 \(the docker0 gateway read from the engine\)\s+success\s+confirmed\s+0\.1 s$/);
    expect(table).toContain('docker-host-db: 0 confirmed, 1 refuted, 1 inconclusive in 2.9 s (run fixture1)');
  });
});

describe('markdown report', () => {
  const md = renderMarkdown(scenarioResult);
  it('gives each claim its verdict, explanation and evidence commands', () => {
    expect(md).toContain('## D1 — refuted');
    expect(md).toContain("- `DATABASES HOST='172.17.0.1' PORT=5432`: **timeout(5003ms)**, refuted (expected: connects). a host firewall dropped it.");
    expect(md).toContain('  $ docker exec -e DB_HOST=172.17.0.1 np-fixture1-django python3 manage.py dbcheck');
    expect(md).toContain('  # exit 1');
    expect(md).toContain('$ iptables -S INPUT\n-P INPUT ACCEPT');
  });
  it('escapes table pipes', () => {
    expect(renderMarkdown({ ...scenarioResult, claims: [{ ...scenarioResult.claims[0]!, attempts: [{ ...scenarioResult.claims[0]!.attempts[0]!, connection: 'a|b' }] }] })).toContain('| D1 | a\\|b |');
  });
});

describe('JUnit XML', () => {
  const xml = renderJunit(scenarioResult);
  it('counts attempts, maps refuted to <failure> and inconclusive to <error>', () => {
    expect(xml).toContain('<testsuite name="docker-host-db" tests="3" failures="1" errors="1" time="2.900"');
    expect(xml).toMatch(/<testcase classname="docker-host-db" name="D1: django -&gt; DATABASES HOST=&apos;172\.17\.0\.1&apos; PORT=5432" time="5\.050"><failure message="expected connects, observed timeout\(5003ms\): a host firewall dropped it"\/><\/testcase>/);
    expect(xml).toMatch(/name="D1: django -&gt; DATABASES HOST=&apos;172\.18\.0\.1&apos; PORT=5432" time="0\.050"><\/testcase>/);
    expect(xml).toContain('<error message="expected gateway 172.17.0.1, subnet 172.17.0.0/16, observed check-failed');
  });
});
