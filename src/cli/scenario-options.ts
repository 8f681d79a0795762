import type { ParseArgsOptionsConfig } from 'node:util';
import { cniUsage } from './environment-choice.ts';
import { helpOption, type CommandHelp } from './help.ts';

/** `npm run scenario` and `npm run clean`: their usage lines, flags and help (main.ts parses with these). */
export const scenarioUsage = `  npm run scenario                                                list scenarios, where they run, their claims
  npm run scenario <name> [-- --junit FILE] [--strict] [--keep]   run one scenario (--junit DIR/ with --all: a file per scenario)
  npm run scenario -- --all [--kind | --docker] [--cni X] [--reuse-cluster | --own-cluster]
                                                                  run every (Kubernetes / Docker) scenario (--cni: every Kubernetes one, on that CNI); the Kubernetes ones share one cluster
  npm run scenario <name> -- --engine E                           run a Docker scenario on engine E (machine, the default; --help lists them; also NETPROOF_ENGINE=E)
  npm run scenario [<name>] -- --claim D1,K5                      only these claims (without a name: the scenarios that hold them)
  npm run scenario <name> -- --repeat N                           try the claims N times on one environment; per-claim counts, flaky marked
  npm run scenario -- --list [--json]                             list scenarios and their claims
  npm run scenario -- --claims [--json]                           every claim of the articles: id, article, section, what it says, scenario`;
export const cleanUsage = `  npm run clean [-- --all]                                        remove what dead (or, with --all, any) runs left`;

export const scenarioOptions = {
  ...helpOption,
  list: { type: 'boolean' },
  claims: { type: 'boolean' },
  json: { type: 'boolean' },
  junit: { type: 'string' },
  strict: { type: 'boolean' },
  keep: { type: 'boolean' },
  'run-id': { type: 'string' },
  results: { type: 'string', default: 'results' },
  all: { type: 'boolean' },
  kind: { type: 'boolean' },
  docker: { type: 'boolean' },
  'reuse-cluster': { type: 'boolean' },
  'own-cluster': { type: 'boolean' },
  cni: { type: 'string' },
  engine: { type: 'string' },
  claim: { type: 'string' },
  repeat: { type: 'string' },
} as const satisfies ParseArgsOptionsConfig;

export const scenarioHelp: CommandHelp = {
  command: 'scenario',
  usage: scenarioUsage,
  options: scenarioOptions,
  notes: cniUsage,
  variables: ['NETPROOF_CNI', 'NETPROOF_ENGINE', 'NETPROOF_CNI_SUPPLY', 'NETPROOF_KIND_NODE_IMAGE', 'NETPROOF_KEEP_FAILED_CLUSTER', 'NETPROOF_CACHE', 'NETPROOF_SCENARIOS_DIR', 'NETPROOF_ARTICLES', 'NETPROOF_RUN_DIR', 'NETPROOF_LOCK_DIR', 'NETPROOF_COMPOSE_PLUGIN_DIR', 'GITHUB_STEP_SUMMARY', 'CI'],
};
export const cleanOptions = { ...helpOption, all: { type: 'boolean' } } as const satisfies ParseArgsOptionsConfig;
export const cleanHelp: CommandHelp = { command: 'clean', usage: cleanUsage, options: cleanOptions, meanings: { all: 'every run, kept ones (--keep) and live ones too' }, variables: ['NETPROOF_RUN_DIR', 'NETPROOF_CACHE'] };

