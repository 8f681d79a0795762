import { engines } from '../environment/docker/index.ts';
import { cniNames, defaultCni } from '../environment/kind/index.ts';
import { runNamePrefix } from '../lab/names.ts';

/**
 * `--help` of every command, from one description per flag and variable.
 * A command lists the flags its parser declares (a unit test holds every
 * declared flag to a description here), so help never names a flag the
 * command does not take, nor leaves one out.
 */
export interface Flag {
  /** How the value is written (`FILE`, `N`), for flags that take one. */
  readonly value?: string;
  readonly meaning: string;
}

/** Every flag of every command, by its parseArgs name. A flag means the same on every command that takes it. */
export const flags: Readonly<Record<string, Flag>> = {
  help: { meaning: 'this text; needs no root and no engine' },
  list: { meaning: 'list the scenarios, where they run and their claim ids (also: no scenario name)' },
  claims: { meaning: "every claim of the articles: id, article, section, what it says, the scenario trying it" },
  json: { meaning: 'with --list or --claims: JSON on stdout (use `npm run -s` so npm prints no banner before it)' },
  junit: { value: 'FILE', meaning: 'also write JUnit XML: a refuted claim is a <failure>, an inconclusive one an <error>; FILE for one scenario, DIR/ (a trailing slash) for a <scenario>.junit.xml each; checked before the lab starts' },
  strict: { meaning: 'exit 1 when any claim is refuted' },
  keep: { meaning: "leave the lab running for a look; `npm run clean -- --all` removes it" },
  'run-id': { value: 'ID', meaning: `name the run (${runNamePrefix('<ID>')}… resources) instead of a random id` },
  results: { value: 'DIR', meaning: 'where to write <scenario>.json/.md/.html (default results/); checked before the lab starts' },
  all: { meaning: 'every scenario (narrowed by --docker, --kind, --cni), one summary at the end' },
  kind: { meaning: 'with --all: only the Kubernetes (kind) scenarios' },
  docker: { meaning: 'with --all: only the Docker scenarios' },
  'reuse-cluster': { meaning: 'keep the kind cluster a Kubernetes run starts, for the next runs' },
  'own-cluster': { meaning: "start a kind cluster of the run's own even when the lab cluster of its CNI runs (a cluster changed by hand stays out of it); deleted at the end" },
  cni: { value: 'X', meaning: `run the Kubernetes scenarios on a cluster with this CNI: one of ${cniNames.join(', ')} (default ${defaultCni}); the same as NETPROOF_CNI=X; with --all, only the Kubernetes scenarios` },
  engine: { value: 'X', meaning: `the Docker engine the Docker scenarios run on: one of ${Object.keys(engines).join(', ')} (default machine: this machine's own; the others are lab hosts, built the first time, engines/README.md); the same as NETPROOF_ENGINE=X` },
  claim: { value: 'D1,K5', meaning: 'only these claims, case-insensitive (every workload still starts); with no scenario name, the scenarios that hold them' },
  repeat: { value: 'N', meaning: 'try the claims N times (a decimal whole number >= 1) on one environment; per claim the count of each outcome, flaky marked' },
  name: { value: 'NAME', meaning: "the kind cluster (default the lab cluster of the CNI, netproof-<cni>; down: every lab cluster): lowercase letters, digits, dashes" },
  workers: { value: 'N', meaning: 'worker nodes beside the control plane, 0..8 (default 2)' },
  out: { value: 'DIR', meaning: 'where to write compare.{md,json,html} (default results/compare/)' },
  runs: { value: 'N', meaning: 'how many times each measure runs (default 5; 3 with --suite or --kind; 20 with --soak)' },
  suite: { meaning: 'every Docker scenario, one after another: per-scenario medians and the suite median' },
  soak: { meaning: 'the Docker suite --runs times in a row, then 3 side by side: verdict flips, conclusive rate, leaks' },
};

/** The environment variables the commands read, and which flag each stands for. */
export const variables: Readonly<Record<string, string>> = {
  NETPROOF_CNI: 'the CNI every Kubernetes scenario runs on (as --cni)',
  NETPROOF_ENGINE: 'the Docker engine the Docker scenarios run on (as --engine)',
  NETPROOF_CNI_SUPPLY: 'offline (default: CNI images built here) or upstream (pinned upstream images the engine already has)',
  NETPROOF_KIND_NODE_IMAGE: 'a kind node image the engine already has, instead of building one here',
  NETPROOF_KEEP_FAILED_CLUSTER: 'set: keep a kind cluster whose creation failed, for a look',
  NETPROOF_CACHE: 'where built kind artefacts are cached (default /var/cache/netproof as root)',
  NETPROOF_SCENARIOS_DIR: 'where scenario files are read from (default scenarios/)',
  NETPROOF_ARTICLES: 'the articles the HTML report quotes (default ../shared/articles)',
  NETPROOF_RUN_DIR: 'where runs register themselves for clean (default $TMPDIR/netproof-runs)',
  NETPROOF_LOCK_DIR: "where runs' host locks live (default $TMPDIR/netproof-locks)",
  NETPROOF_COMPOSE_PLUGIN_DIR: 'where the Docker Compose v2 plugin is looked for and installed',
  GITHUB_STEP_SUMMARY: 'set (GitHub Actions): the claims table is appended to that file',
  CI: 'set: plain progress lines instead of the live spinner',
};

export interface CommandHelp {
  /** The npm script (`scenario`), for the examples. */
  readonly command: string;
  /** Usage lines, each `npm run …` with what it does. */
  readonly usage: string;
  /** Where a flag means something else on this command (`clean --all`), its meaning here. */
  readonly meanings?: Readonly<Record<string, string>>;
  /** The parser's options: every one is listed (and `help`, which every command takes). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly variables: readonly string[];
  readonly notes?: string;
}

export function renderHelp(command: CommandHelp): string {
  const names = Object.keys(command.options).filter((name) => name !== 'help');
  const meaning = (name: string) => command.meanings?.[name] ?? flags[name]?.meaning;
  const undescribed = names.filter((name) => !meaning(name));
  // A flag the parser takes and help would not list is a bug in the harness, found by the help test.
  if (undescribed.length > 0) throw new Error(`help: no description for ${undescribed.map((n) => `--${n}`).join(', ')} (src/cli/help.ts)`);
  const shown = names.map((name) => [`--${name}${flags[name]?.value ? ` ${flags[name].value}` : ''}`, meaning(name)!] as const);
  const shownVariables = command.variables.filter((name) => name !== 'NETPROOF_ENGINE' || names.includes('engine'));
  const width = Math.max(...shown.map(([flag]) => flag.length), ...shownVariables.map((v) => v.length), '-h, --help'.length);
  const line = (left: string, right: string) => `  ${left.padEnd(width)}  ${right}`;
  return [
    'usage:',
    command.usage,
    '',
    'flags:',
    ...shown.map(([flag, meaning]) => line(flag, meaning)),
    line('-h, --help', flags.help!.meaning),
    ...(shownVariables.length > 0 ? ['', 'environment:', ...shownVariables.map((name) => line(name, variables[name] ?? ''))] : []),
    '',
    // npm keeps flags before `--` for itself: `npm run scenario --all` passes nothing.
    `Flags go after \`--\` (\`npm run ${command.command} -- --flag\`): without it npm takes them for itself and they never arrive.`,
    ...(command.notes ? [command.notes] : []),
    'Exit codes: 0 ran; 1 --strict and a claim refuted; 2 usage error; 3 environment cannot be prepared; 4 harness failure; 130/143 interrupted.',
    '',
  ].join('\n');
}

/** The option every command takes. */
export const helpOption = { help: { type: 'boolean', short: 'h' } } as const;
