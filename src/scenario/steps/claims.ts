import type { ExecResult } from '../../exec/exec-result.ts';
import type { ClaimResult } from '../../report/result.ts';
import { mergeRounds } from '../../report/repeats.ts';
import { contextScript } from '../../workloads/container-exec.ts';
import type { StartedWorkload } from '../../workloads/workload.ts';
import { tryClaim, untried } from '../try-claim.ts';
import { made, type RunContext } from './run-context.ts';
import type { Step } from './step.ts';

/**
 * The claims, concurrently (each claim's attempts in order); results keep
 * the scenario's order. With `--repeat N` the same environment gets the
 * claims N times: every round is counted, a verdict that changes is flaky.
 * Workloads that did not start leave every claim untried.
 */
export function tryClaims(context: RunContext): Step<RunContext> {
  const rounds = Math.max(1, context.options.repeat ?? 1);
  return {
    name: `trying ${context.spec.claims.length} claims${rounds > 1 ? ` (${rounds} rounds)` : ''}`,
    async run(context) {
      if (context.notStarted !== undefined) {
        const reason = `the scenario's workloads did not all start: ${context.notStarted}`;
        context.claims = context.spec.claims.map((claim) => untried(claim, reason));
        return;
      }
      const contexts = new Map<string, Promise<ExecResult[]>>();
      const tried: ClaimResult[][] = [];
      for (let round = 1; round <= rounds; round++) {
        tried.push(rounds > 1 ? await context.logger.step(`round ${round} of ${rounds}`, () => oneRound(context, contexts)) : await oneRound(context, contexts));
      }
      context.claims = rounds > 1 ? mergeRounds(tried) : tried[0]!;
    },
  };
}

/** Every claim once; each source's context commands (its addresses, routes) are read once in the run, in one exec, and shared. */
function oneRound(context: RunContext, contexts: Map<string, Promise<ExecResult[]>>): Promise<ClaimResult[]> {
  const env = made(context, 'env');
  const { workloads } = context;
  const contextOf = (source: StartedWorkload) => {
    if (!contexts.has(source.name)) contexts.set(source.name, source.contextCommands.length === 0 ? Promise.resolve([]) : source.exec(contextScript(source.contextCommands)).then((result) => [result]));
    return contexts.get(source.name)!;
  };
  return Promise.all(
    context.spec.claims.map(async (claim) => {
      const sources = [...new Set([claim.from, ...claim.attempts.map((a) => a.from ?? claim.from), 'host'])].map((name) => workloads[name]!);
      const result = await tryClaim(claim, env, async () => (await Promise.all(sources.map(contextOf))).flat(), context.preparations);
      context.logger.info(`${claim.id}: ${result.verdict} (${result.attempts.map((a) => a.outcome.kind).join(', ')})`);
      return result;
    }),
  );
}
