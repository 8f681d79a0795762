import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { catalogue, idsInClaimsMarkdown } from '../../src/scenario/catalogue.ts';
import { loadScenario, scenarioNames } from '../../src/scenario/registry.ts';

/** shared/ sits beside the repository (CI clones it so); on a laptop it may be absent. */
const claimsMarkdown = fileURLToPath(new URL('../../../shared/claims.md', import.meta.url));
const present = existsSync(claimsMarkdown);

async function triedBy(): Promise<Map<string, string[]>> {
  const by = new Map<string, string[]>();
  for (const name of await scenarioNames()) {
    for (const claim of (await loadScenario(name)).claims) by.set(claim.id, [...(by.get(claim.id) ?? []), name]);
  }
  return by;
}

describe('the claim catalogue', () => {
  it('is where CI says it is: shared/claims.md beside the repository (absent only off CI)', () => {
    // In CI the file is always there; a missing file there is a failure, never a skip.
    if (process.env.CI) expect(present, `${claimsMarkdown} must exist in CI`).toBe(true);
  });

  it.runIf(present || process.env.CI)('lists exactly the ids of shared/claims.md, those being added (+D29) too', () => {
    const ids = idsInClaimsMarkdown(readFileSync(claimsMarkdown, 'utf8'));
    expect(ids.length).toBeGreaterThan(40);
    expect(catalogue.map((c) => c.id)).toEqual(ids.map((i) => i.id));
  });

  it.runIf(present || process.env.CI)('has every plain id of shared/claims.md tried by exactly one scenario, and each + id by at most one', async () => {
    const ids = idsInClaimsMarkdown(readFileSync(claimsMarkdown, 'utf8'));
    const by = await triedBy();
    const wrong = ids
      .filter(({ id, beingAdded }) => (beingAdded ? (by.get(id)?.length ?? 0) > 1 : by.get(id)?.length !== 1))
      .map(({ id, beingAdded }) => `${beingAdded ? '+' : ''}${id}: ${by.get(id)?.join(', ') ?? 'no scenario'}`);
    expect(wrong).toEqual([]);
  });

  it("gives each scenario claim the catalogue's article, and no scenario a claim the catalogue lacks", async () => {
    const byId = new Map(catalogue.map((c) => [c.id, c]));
    for (const name of await scenarioNames()) {
      for (const claim of (await loadScenario(name)).claims) {
        expect(byId.get(claim.id)?.article, `${name} ${claim.id}`).toBe(claim.article);
      }
    }
  });

  it('is printed by `npm run scenario -- --claims`, each claim with its article, section and scenario', async () => {
    const { exitCode, stdout } = await execa('node', ['src/cli/main.ts', 'scenario', '--claims', '--json'], { reject: false });
    expect(exitCode).toBe(0);
    const listed = JSON.parse(stdout) as { id: string; article: string; section: string; says: string; scenario: string | null }[];
    expect(listed.map((l) => l.id)).toEqual(catalogue.map((c) => c.id));
    expect(listed.find((l) => l.id === 'D11')).toEqual({ ...catalogue.find((c) => c.id === 'D11'), scenario: 'docker-networks' });
    // A statement being added (+D32 in shared/claims.md) is listed with its article section, and its scenario once one tries it.
    expect(listed.find((l) => l.id === 'D32')).toEqual({ id: 'D32', article: '004', section: '2. 호스트 외부에서 도커 컨테이너를 접속', says: expect.stringContaining('iptables -nvL -t nat'), scenario: 'docker-port-publishing' });
  });

  it('reads the ids off the claims table rows only, a leading + as being added', () => {
    expect(idsInClaimsMarkdown('| id | from |\n|---|---|\n| D1 | x |\n| K20 | y |\n| +D29 | z |\nD3 in prose, +D30 too\n')).toEqual([
      { id: 'D1', beingAdded: false },
      { id: 'K20', beingAdded: false },
      { id: 'D29', beingAdded: true },
    ]);
  });
});
