import { expect } from 'vitest';
import type { EngineProvider } from '../../src/environment/docker/index.ts';
import { noopLogger } from '../../src/log.ts';
import type { ClaimResult, ScenarioResult } from '../../src/report/result.ts';
import { loadScenarioFrom, scenariosDir } from '../../src/scenario/registry.ts';
import { runScenario } from '../../src/scenario/run-scenario.ts';
import { leftovers, nothingLeft } from '../../src/lab/leftovers.ts';

/** One real run of a scenario for a test file: its result, and lookups into it. */
export interface ScenarioRun {
  readonly runId: string;
  readonly result: ScenarioResult;
  claim(id: string): ClaimResult;
  /** The outcome kinds of a claim's attempts, in order. */
  kinds(id: string): string[];
  /** Asserts the run's promises: nothing sent off the machine, nothing left on it. */
  expectCleanAndContained(): Promise<void>;
  /**
   * Asserts that a claim reached a verdict on evidence: confirmed or refuted,
   * every attempt with a typed outcome that is not a harness error, with its
   * commands recorded, and every HTTP answer naming a server of this run.
   */
  expectConclusive(id: string): void;
}

/**
 * Runs scenarios/<name>.ts, or the file of that name in `dir` (the fixture scenarios), as the CLI would load it;
 * `engine`: the Docker engine to run on (`--engine`), the machine's when absent.
 */
export async function runForTest(name: string, runId: string, dir = scenariosDir, options: { engine?: EngineProvider } = {}): Promise<ScenarioRun> {
  const result = await runScenario(await loadScenarioFrom(dir, name), { logger: noopLogger, runId, secrets: ['mysecretpassword'], engine: options.engine });
  const claim = (id: string) => {
    const found = result.claims.find((c) => c.id === id);
    if (!found) throw new Error(`${name} has no claim ${id}`);
    return found;
  };
  return {
    runId,
    result,
    claim,
    kinds: (id) => claim(id).attempts.map((a) => a.outcome.kind),
    expectConclusive(id) {
      const found = claim(id);
      expect(found.verdict, `${id}: ${found.because ?? ''}`).not.toBe('inconclusive');
      found.attempts.forEach((attempt, i) => {
        expect(['check-failed', 'other'], `${id} attempt ${i}: ${JSON.stringify(attempt.outcome)}`).not.toContain(attempt.outcome.kind);
        expect(found.evidence.attempts[i]!.length, `${id} attempt ${i} has evidence`).toBeGreaterThan(0);
        // A lab server names itself (np-serve, Flask); nginx's own 502 names nginx in its Server header, which the detail carries.
        if (attempt.outcome.kind === 'http-status') {
          if (attempt.answeredBy) expect(attempt.answeredBy, `${id} attempt ${i} names its server`).toMatch(new RegExp(`^np-${runId}-`));
          else expect(attempt.detail, `${id} attempt ${i} names its server`).toMatch(/HTTP \d+ from (?!a server that did not name itself)\S+/);
        }
      });
    },
    async expectCleanAndContained() {
      expect(result.traffic.uplinks.length).toBeGreaterThan(0);
      expect(result.traffic.packetsStopped).toBe(0);
      expect(await leftovers(runId)).toEqual(nothingLeft);
    },
  };
}
