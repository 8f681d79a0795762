import { describe, expect, it } from 'vitest';
import { noopLogger, type Logger } from '../../src/log.ts';
import { loadScenario } from '../../src/scenario/registry.ts';
import { runScenario } from '../../src/scenario/run-scenario.ts';
import { leftovers, nothingLeft } from '../../src/lab/leftovers.ts';

/**
 * Two runs of docker-host-db started together (the report: the second's
 * PostgreSQL could not bind 5432, and its Django was answered by the first
 * run's database while both said confirmed). Now the second waits for the
 * host port, says so, and each run's answers come from its own database.
 */
describe('runs side by side', () => {
  it('two docker-host-db runs: the second waits for host port 5432; each is answered by its own database', async () => {
    const said: string[] = [];
    const logger: Logger = { ...noopLogger, info: (line: string) => void said.push(line) };
    const ids = [`cca${process.pid}`.slice(0, 12), `ccb${process.pid}`.slice(0, 12)];
    const spec = await loadScenario('docker-host-db');
    const results = await Promise.all(ids.map((runId) => runScenario(spec, { logger, runId, secrets: ['mysecretpassword'] })));
    expect(said.filter((line) => /^waiting for host port 5432\/tcp, held by run cc[ab]\d*/.test(line))).toHaveLength(1);
    results.forEach((result, i) => {
      expect(result.summary.inconclusive, JSON.stringify(result.claims.map((c) => [c.id, c.because]))).toBe(0);
      for (const attempt of result.claims.flatMap((c) => c.attempts).filter((a) => a.outcome.kind === 'success' && a.answeredBy)) {
        expect(attempt.answeredBy).toBe(`np-${ids[i]}-db`);
      }
    });
    for (const runId of ids) expect(await leftovers(runId)).toEqual(nothingLeft);
  }, 300_000);
});
