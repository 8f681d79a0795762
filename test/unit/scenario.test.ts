import { docker } from '../../src/environment/environment.ts';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { networksExist } from '../../src/probes/engine-checks.ts';
import type { ClaimSpec } from '../../src/scenario/claim.ts';
import { loadScenario, scenarioNames } from '../../src/scenario/registry.ts';
import { defineScenario, type ScenarioSpec } from '../../src/scenario/scenario.ts';
import { Expect } from '../../src/verdict/expect.ts';
import { readFile } from 'node:fs/promises';

const claim = (over: Partial<ClaimSpec> = {}): ClaimSpec => ({
  id: 'D7',
  article: '002',
  from: 'host',
  says: 'bridge, host and none exist',
  expect: Expect.holds('exist'),
  attempts: [networksExist(['bridge'])],
  why: {},
  ...over,
});
const spec = (claims: ClaimSpec[]): ScenarioSpec => ({ name: 't', title: 't', environment: docker(), workloads: {}, claims });

describe('defineScenario', () => {
  it('accepts a well-formed scenario', () => {
    expect(defineScenario(spec([claim()])).claims).toHaveLength(1);
  });
  it('rejects a duplicate claim id, an unknown source, a claim with no attempt, a bad article number', () => {
    expect(() => defineScenario(spec([claim(), claim()]))).toThrow('claim D7 appears twice');
    expect(() => defineScenario(spec([claim({ from: 'nginx' })]))).toThrow('tried from "nginx", which is not a workload');
    expect(() => defineScenario(spec([claim({ attempts: [] })]))).toThrow('claim D7 has no attempts');
    expect(() => defineScenario(spec([claim({ article: '2' })]))).toThrow('names article "2"');
  });
});

// shared/ sits beside the repo on developer machines and in CI; a user's clone may not have it.
const claimsTable = await readFile(new URL('../../../shared/claims.md', import.meta.url), 'utf8').catch(() => undefined);

describe('scenario registry', () => {
  it('lists the scenario files', async () => {
    expect(await scenarioNames()).toContain('docker-host-db');
  });
  it('names the known scenarios when asked for an unknown one', async () => {
    await expect(loadScenario('nope')).rejects.toThrow(UsageError);
    await expect(loadScenario('nope')).rejects.toThrow(/unknown scenario "nope". Known scenarios: .*docker-host-db/);
  });
  it.skipIf(claimsTable === undefined)('every claim a scenario tries is a claim of shared/claims.md, tried from the article it names', async () => {
    const table = claimsTable!;
    for (const name of await scenarioNames()) {
      for (const c of (await loadScenario(name)).claims) {
        // A statement being added is written `| +D29 |` until every one of them is tried.
        const row = table.split('\n').find((line) => line.startsWith(`| ${c.id} |`) || line.startsWith(`| +${c.id} |`));
        expect(row, `${name}: ${c.id} is not in claims.md`).toBeDefined();
        expect(row).toContain(c.article);
      }
    }
  });
});
