import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scanScenarios } from '../../src/scenario/registry.ts';

/** README against the code: where it drifted before, a test holds it now. */
const readme = readFileSync('README.md', 'utf8');
const section = (heading: string) => readme.slice(readme.indexOf(heading), readme.indexOf('\n## ', readme.indexOf(heading) + 1));

describe('README', () => {
  it("each scenario is in its table (Docker's or Kubernetes'), with its claims", async () => {
    const { specs } = await scanScenarios();
    for (const spec of specs) {
      const table = section(spec.environment.kind === 'kind' ? '## Kubernetes scenarios' : '## Scenarios and their claims');
      const row = new RegExp(`^\\| \`${spec.name}\` \\| ([^|]+) \\|`, 'm').exec(table);
      expect(row, `${spec.name} in its README table`).not.toBeNull();
      expect(row![1]!.trim().split(' ').sort(), spec.name).toEqual(spec.claims.map((c) => c.id).sort());
    }
  }, 30_000);

  it("Layout names every directory of src/", () => {
    const layout = section('## Layout');
    const dirs = readdirSync('src', { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(dirs.filter((dir) => !layout.includes(`\`${dir}/\``))).toEqual([]);
  });

  it('says how to get parseable JSON from npm, and that flags go after --', () => {
    expect(readme).toContain('npm run -s scenario -- --list --json');
    expect(readme).toMatch(/Flags go after `--`/);
    expect(readme).toContain('results/compare/compare.{md,json,html}');
    expect(readme).not.toMatch(/results\/compare\.\*/);
  });
});
