import type { EngineProvider } from '../environment/docker/index.ts';
import type { ScenarioSpec } from '../scenario/scenario.ts';

/** Why a scenario cannot run on `engine`, or undefined when it can. */
export function cannotRunOn(spec: ScenarioSpec, engine: EngineProvider): string | undefined {
  if (engine.name === 'machine') return undefined;
  if (spec.environment.kind !== 'docker') return `${spec.name} runs on a kind cluster, whose nodes are containers of the machine's own engine`;
  return undefined;
}

/** The selected scenarios split by whether they can run on `engine`. */
export function splitByEngine(specs: readonly ScenarioSpec[], engine: EngineProvider): { runnable: ScenarioSpec[]; refused: { spec: ScenarioSpec; reason: string }[] } {
  const refused = specs.flatMap((spec) => {
    const reason = cannotRunOn(spec, engine);
    return reason ? [{ spec, reason }] : [];
  });
  return { runnable: specs.filter((spec) => !refused.some((r) => r.spec === spec)), refused };
}
