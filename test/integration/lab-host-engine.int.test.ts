import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engines } from '../../src/environment/docker/index.ts';
import { hostExec } from '../../src/exec/host-exec.ts';
import { loadScenario, scenariosDir } from '../../src/scenario/registry.ts';
import { cannotRunOn } from '../../src/cli/engine-choice.ts';
import { findingsOf, type Findings } from './findings.ts';
import { runForTest } from './scenario-run.ts';

const labHost = engines['20.10']!;
const golden = JSON.parse(readFileSync(new URL('./expected-findings.json', import.meta.url), 'utf8')) as Record<string, Findings>;

/**
 * Where a lab host running Debian's dockerd 20.10 is expected to find
 * something else than the machine's engine (README, "Docker engines"), claim
 * by claim, with why. None: every verdict and every attempt's outcome is the
 * golden table's.
 */
const differences: Record<string, Findings> = {};

/** Volumes on the machine's engine: a lab host keeps its engine's data on a tmpfs, so it must add none. */
const volumes = async () => (await hostExec(['docker', 'volume', 'ls', '-q'])).stdout.split('\n').filter(Boolean).sort();

/**
 * The Docker suite with `--engine 20.10`: each scenario's Docker host is a lab
 * host (a privileged container on a lab LAN), and its findings are the golden
 * table's, recorded on the machine's own engine (Debian's 20.10 too).
 */
describe("the Docker scenarios on a lab host running Debian's dockerd 20.10", () => {
  const scenarios = ['docker-host-db', 'docker-network-modes', 'docker-networks', 'docker-port-publishing', 'docker-compose-nginx-flask'];
  scenarios.forEach((name, i) => {
    it(`${name}: the golden table's findings, nothing sent off the machine, nothing left behind`, { timeout: 600_000 }, async () => {
      const before = await volumes();
      const run = await runForTest(name, `lh${i}${process.pid}`, scenariosDir, { engine: labHost });
      expect(run.result.environment).toMatchObject({ engineProvider: '20.10', engine: expect.stringMatching(/^Docker 20\.10\./), engineWhere: expect.stringMatching(/^lab host np-lh/), userlandProxy: 'true (the default)', gatewayMode: 'nat (the default; no gateway_mode_ipv4 option)' });
      // "The host's address" is the lab host's own, not the machine's.
      expect(run.result.environment.engineWhere).toContain(run.result.environment.hostAddress);
      expect(findingsOf(run.result.claims), `${name} on the lab host against the golden table`).toEqual({ ...golden[name], ...differences[name] });
      await run.expectCleanAndContained();
      expect(await volumes()).toEqual(before);
    });
  });

  it("docker-two-hosts is not refused: the chosen engine runs its three Docker hosts (the scenario itself stays on the machine's engine)", async () => {
    const spec = await loadScenario('docker-two-hosts');
    expect(cannotRunOn(spec, labHost)).toBeUndefined();
    expect(spec.environment.engineRuns).toBe('docker-hosts');
  });
});
