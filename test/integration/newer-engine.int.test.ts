import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../src/environment/docker/index.ts';
import { ensureEngineImage } from '../../src/environment/docker/engine-recipe.ts';
import { consoleLogger } from '../../src/log.ts';
import { scenariosDir } from '../../src/scenario/registry.ts';
import { findingsOf, type Findings } from './findings.ts';
import { runForTest } from './scenario-run.ts';
import { newerEngine } from '../tiers.ts';

const engine = engines[newerEngine]!;
/** Reviewed: each difference from 20.10's table is explained in engines/README.md ("What changes between engines"). */
const golden = JSON.parse(readFileSync(new URL(`../matrix/expected/engine-${newerEngine}.json`, import.meta.url), 'utf8')) as Record<string, Findings>;

/**
 * The Docker suite on a newer engine than the machine's (issue 17): Docker
 * 29.8.0 built from its module, as a lab host; docker-two-hosts' three hosts
 * run it too. Its findings are its own golden table's.
 */
describe(`the Docker scenarios on Docker ${newerEngine} (a lab host built from its module)`, () => {
  beforeAll(async () => {
    // The first time on a machine this builds the engine from the Go module proxy (about 20 minutes on 2 cores), with progress.
    await ensureEngineImage(newerEngine, consoleLogger());
  }, 70 * 60_000);

  const scenarios = ['docker-host-db', 'docker-network-modes', 'docker-networks', 'docker-port-publishing', 'docker-compose-nginx-flask', 'docker-two-hosts'];
  scenarios.forEach((name, i) => {
    it(`${name}: its golden table's findings, nothing sent off the machine, nothing left behind`, { timeout: 600_000 }, async () => {
      const run = await runForTest(name, `ne${i}${process.pid}`, scenariosDir, { engine });
      const where = name === 'docker-two-hosts' ? { dockerHostsEngineProvider: newerEngine } : { engineProvider: newerEngine, engine: `Docker ${newerEngine}.0`, firewallBackend: 'iptables', userlandProxy: 'true (the default)', gatewayMode: expect.stringMatching(/^nat\b/) };
      expect(run.result.environment).toMatchObject(where);
      expect(findingsOf(run.result.claims), `${name} on Docker ${newerEngine} against its golden table`).toEqual(golden[name]);
      await run.expectCleanAndContained();
    });
  });
});
