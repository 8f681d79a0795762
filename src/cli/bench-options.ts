import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { engines } from '../environment/docker/index.ts';
import type { Cni } from '../environment/kind/index.ts';
import { resolveEnvironmentChoice } from './environment-choice.ts';
import { UsageError } from '../errors.ts';
import { helpOption, type CommandHelp } from './help.ts';

/** `npm run bench`'s flags (bench/bench.ts runs the measures; main.ts --validate-only checks them first). */
const benchOptions = {
  ...helpOption,
  runs: { type: 'string' },
  suite: { type: 'boolean' },
  kind: { type: 'boolean' },
  soak: { type: 'boolean' },
  cni: { type: 'string' },
  engine: { type: 'string' },
} as const satisfies ParseArgsOptionsConfig;

export const benchHelp: CommandHelp = {
  command: 'bench',
  usage: `  npm run bench                         docker-host-db: median wall time of the CLI (images warm) against a plain shell script doing the same (5 runs)
  npm run bench -- --suite [--engine E] the Docker suite as one command (scenario -- --all --docker): its median, each scenario's (3 runs)
  npm run bench -- --soak [--runs N]    the Docker suite N times (default 20), then 3 side by side: flips, conclusive rate, leaks
  npm run bench -- --kind [--cni kindnetd-lab,flannel]   per CNI: \`scenario -- --all --kind\` with cluster creation, then k8s-pod-network and k8s-network-policy on a running cluster`,
  options: benchOptions,
  meanings: { engine: 'with --suite: the Docker engine the scenarios run on, as scenario --engine takes it (default NETPROOF_ENGINE, else machine)', cni: 'with --kind: the CNIs to measure, comma-separated, each as --cni takes it (default NETPROOF_CNI, else kindnetd-lab)', kind: 'per CNI: the Kubernetes scenarios with and without cluster creation' },
  variables: ['NETPROOF_ENGINE', 'NETPROOF_CNI', 'NETPROOF_CNI_SUPPLY', 'NETPROOF_CACHE', 'CI'],
  notes: 'Figures, not a test: it needs root and the engine, like a scenario run.',
};

export interface BenchOptions {
  readonly help: boolean;
  readonly runs: number;
  readonly suite: boolean;
  readonly kind: boolean;
  readonly soak: boolean;
  readonly cnis: readonly Cni[];
  /** The engine `--suite` runs on; undefined: the scenario's default (NETPROOF_ENGINE, else machine). */
  readonly engine?: string;
}

/** The bench's command line; a mistake is a UsageError (exit 2). */
export function parseBenchArgs(args: readonly string[]): BenchOptions {
  const { values } = parseArgs({ args: [...args], options: benchOptions });
  if (values.runs !== undefined && !/^[1-9][0-9]*$/.test(values.runs)) throw new UsageError(`--runs takes a decimal whole number >= 1, not "${values.runs}"`);
  const runs = Number(values.runs ?? (values.soak ? 20 : values.suite || values.kind ? 3 : 5));
  // Each CNI as a scenario's --cni (or NETPROOF_CNI) takes it: an unknown one names the known ones.
  const cnis: Cni[] = (values.cni?.split(',') ?? [undefined]).map((cni) => resolveEnvironmentChoice({ cni }).cni);
  if (values.engine !== undefined && !Object.hasOwn(engines, values.engine)) throw new UsageError(`unknown engine "${values.engine}": use one of ${Object.keys(engines).join(', ')}`);
  return { help: values.help ?? false, runs, suite: values.suite ?? false, kind: values.kind ?? false, soak: values.soak ?? false, cnis, engine: values.engine };
}
