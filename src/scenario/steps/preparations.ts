import type { Setup } from '../../setup/setup.ts';
import type { ScenarioSpec } from '../scenario.ts';
import { made, type RunContext } from './run-context.ts';
import type { Step } from './step.ts';

/** Each setup with a preparation, once, in the claims' order. */
const setupsToPrepare = (spec: ScenarioSpec): Setup<unknown>[] => [...new Set(spec.claims.flatMap((claim) => claim.attempts.flatMap((a) => (a.setup?.prepare ? [a.setup] : []))))];

/**
 * The claims' setups' preparations (K14's MetalLB image into the nodes),
 * started once the environment stands, so they run while the workloads start
 * and the attempts before them run; a claim awaits each before its setup
 * (tryClaim). A preparation makes nothing a claim observes; one that fails is
 * met again by its setup. The teardown waits for any still running.
 */
export const startPreparations: Step<RunContext> = {
  name: "starting the claims' setups' preparations",
  skip: (context) => setupsToPrepare(context.spec).length === 0,
  async run(context) {
    const env = made(context, 'env');
    context.preparations = new Map(setupsToPrepare(context.spec).map((setup) => [setup, setup.prepare!(env).catch(() => undefined)]));
  },
  async teardown(context) {
    await Promise.all(context.preparations?.values() ?? []);
  },
};
