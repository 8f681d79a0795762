import { execa } from 'execa';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every file under these folders, as repository paths. */
const filesUnder = (...roots: string[]): string[] =>
  roots.flatMap((root) => readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name)));

describe('layering', () => {
  // The rules are in .dependency-cruiser.cjs: no runtime cycle, src/lab/ imports no environment, an environment is reached through its index.ts.
  it('has no dependency that .dependency-cruiser.cjs forbids', async () => {
    const cruise = await execa('node_modules/.bin/depcruise', ['--output-type', 'err', 'src', 'scenarios', 'bench', 'test'], { reject: false, all: true });
    expect(cruise.exitCode, cruise.all).toBe(0);
    expect(cruise.all).toMatch(/no dependency violations found \(\d+ modules/);
  });

  // dependency-cruiser counts `import { type A }` as type-only, but Node keeps it as an import that loads the module:
  // without this form, every import it exempts from the cycle rule is one that is erased.
  it('writes type-only imports as `import type`, so a type-only dependency loads nothing', () => {
    const loadingForTypes = filesUnder('src', 'scenarios', 'bench', 'test')
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/^import \{([^}]*)\} from '[^']+'/gm)]
          .filter(([, names]) => names!.split(',').map((name) => name.trim()).filter(Boolean).every((name) => name.startsWith('type ')))
          .map(([statement]) => `${file}: ${statement}`),
      );
    expect(loadingForTypes).toEqual([]);
  });

  // np-serve and np-probe are the toolbox image's programs, not resource names.
  it('knows the lab names\' prefix in one source module', () => {
    const knowing = filesUnder('src', 'scenarios').filter((file) => /np-(?!serve|probe)/.test(readFileSync(file, 'utf8')));
    expect(knowing).toEqual(['src/lab/names.ts']);
  });
});
