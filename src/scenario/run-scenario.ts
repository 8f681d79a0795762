import type { StartedLabNetwork } from '../environment/docker/lab-network.ts';
import type { StartedEnvironment } from '../environment/started-environment.ts';
import { during, EnvironmentError, UsageError } from '../errors.ts';
import { redact } from '../evidence/redact.ts';
import type { ExecResult } from '../exec/exec-result.ts';
import { hostExec } from '../exec/host-exec.ts';
import { ensureImages } from '../images/build-images.ts';
import type { ImageName } from '../images/catalogue.ts';
import { acquireHostResources, HostResource } from '../lab/host-resources.ts';
import { LabRun } from '../lab/lab-run.ts';
import { sweepStale } from '../lab/sweep.ts';
import type { Logger } from '../log.ts';
import { mergeRounds } from '../report/repeats.ts';
import type { AttemptResult, ClaimResult, ScenarioResult } from '../report/result.ts';
import { readTopology } from '../report/topology.ts';
import { explain } from '../verdict/explain.ts';
import { claimVerdict, judge } from '../verdict/verdict.ts';
import { checkFailed } from '../probes/check.ts';
import { ofThisRun } from '../probes/answered-by.ts';
import type { Observation } from '../probes/probe.ts';
import { hostSource } from '../workloads/host-source.ts';
import type { StartedWorkload } from '../workloads/workload.ts';
import type { AttemptSpec, ClaimSpec } from './claim.ts';
import type { ScenarioSpec } from './scenario.ts';

export interface RunOptions {
  readonly logger: Logger;
  readonly runId?: string;
  readonly keep?: boolean;
  /** Called as soon as the run exists, so a signal handler can tear it down. */
  readonly onRunStarted?: (run: LabRun) => void;
  /** Strings to scrub from evidence (passwords the scenario uses). */
  readonly secrets?: readonly string[];
  /** Try the claims this many times on the one environment (`--repeat N`); results count each round. */
  readonly repeat?: number;
  /** Keep a kind cluster the run creates, for later runs to reuse (`--all --kind`, the tests). */
  readonly keepCluster?: boolean;
}

/**
 * The steps, kind-style: images, sweep what dead runs left, start the run
 * (guard, facts, workloads), try each claim, tear down — always, also when a
 * step fails.
 */
export async function runScenario(spec: ScenarioSpec, options: RunOptions): Promise<ScenarioResult> {
  const { logger } = options;
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const imageNames = [...new Set(Object.values(spec.workloads).flatMap((w) => w.images))] as ImageName[];
  const [images, stale] = await Promise.all([logger.step('checking lab images', () => ensureImages(imageNames, logger)), sweepStale()]);
  if (stale.size > 0) logger.info(`removed what ${stale.size} dead run(s) left: ${[...stale.keys()].join(', ')}`);

  const run = await LabRun.start({ scenario: spec.name, logger, id: options.runId, keep: options.keep });
  // Node 22 has no `await using` yet: try/finally does the same.
  try {
    options.onRunStarted?.(run);
    logger.info(`run ${run.id}: scenario ${spec.name}`);
    const { facts, guard, kind, fingerprint } = await during(`starting the environment: ${spec.environment.description}`, () =>
      spec.environment.start({ run, logger, images: [...new Set(imageNames.map((name) => images[name]))], keepCluster: options.keepCluster }),
    );
    // A network's fixed subnet is taken before any other resource: every run takes them in that order, so none waits in a circle.
    const subnets = Object.values(spec.networks ?? {}).flatMap((n) => n.hostResources ?? []);
    if (subnets.length > 0) await acquireHostResources(run, subnets, { logger });
    const networks: Record<string, StartedLabNetwork> = {};
    for (const [name, network] of Object.entries(spec.networks ?? {})) {
      networks[name] = await logger.step(`creating network ${name}: ${network.description}`, () => during(`creating network ${name}`, () => network.start(name, run)));
      await guard.coverBridge(networks[name].bridge);
    }
    const workloads: Record<string, StartedWorkload> = { host: hostSource };
    const exclusive = Object.values(spec.workloads).flatMap((w) => [
      ...(w.hostResources ?? []),
      ...(kind ? (w.clusterResources ?? []).map((r) => HostResource.ofCluster(kind.cluster.name, r)) : []),
    ]);
    // Docker's nat rules "before" are read once the run holds its host ports: a run that held them
    // a moment ago may have left an identical rule (same port, same first docker0 address) until its end.
    let factsNow = facts;
    if (exclusive.length > 0) {
      await acquireHostResources(run, exclusive, { logger });
      factsNow = { ...facts, natRulesAtStart: await hostExec(['iptables', '-t', 'nat', '-S', 'DOCKER']) };
    }
    const env: StartedEnvironment = { run, logger, facts: factsNow, kind, guard, images, networks, workloads };
    const result = (claims: readonly ClaimResult[], extra: Partial<ScenarioResult> = {}): ScenarioResult => ({
      schemaVersion: 1,
      scenario: spec.name,
      title: spec.title,
      runId: run.id,
      startedAt,
      durationMs: Math.round(performance.now() - started),
      environment: fingerprint,
      traffic: extra.traffic ?? { uplinks: guard.uplinks, packetsStopped: 0 },
      claims,
      ...extra,
      summary: {
        confirmed: claims.filter((c) => c.verdict === 'confirmed').length,
        refuted: claims.filter((c) => c.verdict === 'refuted').length,
        inconclusive: claims.filter((c) => c.verdict === 'inconclusive').length,
      },
    });
    // A workload that cannot start leaves every claim untried: inconclusive, never a network verdict.
    // docker0 is held wholesale while the workloads start; then only the run's own containers and networks are.
    await guard.holdSharedBridge();
    const notStarted = await startWorkloads(spec, env, workloads).then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof EnvironmentError || error instanceof UsageError) throw error;
        return error instanceof Error ? error.message : String(error);
      },
    );
    await guard.coverRunContainers();
    if (notStarted !== undefined) {
      logger.info(`the workloads did not all start; every claim is inconclusive: ${notStarted}`);
      return result(
        spec.claims.map((claim) => untried(claim, `the scenario's workloads did not all start: ${notStarted}`)),
        { harnessFailure: notStarted, traffic: { uplinks: guard.uplinks, packetsStopped: await guard.packetsStopped() } },
      );
    }

    const contexts = new Map<string, Promise<ExecResult[]>>();
    const contextOf = (source: StartedWorkload) => {
      if (!contexts.has(source.name)) contexts.set(source.name, Promise.all(source.contextCommands.map((argv) => source.exec(argv))));
      return contexts.get(source.name)!;
    };

    // Claims run concurrently (each claim's attempts in order); results keep the scenario's order.
    const tryClaims = () =>
      Promise.all(
        spec.claims.map(async (claim) => {
          const sources = [...new Set([claim.from, ...claim.attempts.map((a) => a.from ?? claim.from), 'host'])].map((name) => workloads[name]!);
          const result = await tryClaim(claim, env, async () => (await Promise.all(sources.map(contextOf))).flat());
          logger.info(`${claim.id}: ${result.verdict} (${result.attempts.map((a) => a.outcome.kind).join(', ')})`);
          return options.secrets ? redactClaim(result, options.secrets) : result;
        }),
      );
    // --repeat N: the same environment, the claims again; every round is counted, a verdict that changes is flaky.
    const rounds = Math.max(1, options.repeat ?? 1);
    const tried: ClaimResult[][] = [];
    for (let round = 1; round <= rounds; round++) {
      tried.push(await logger.step(`trying ${spec.claims.length} claims${rounds > 1 ? ` (round ${round} of ${rounds})` : ''}`, tryClaims));
    }
    const claims = rounds > 1 ? mergeRounds(tried) : tried[0]!;
    // An engine that died mid-run: the claims tried before keep their verdicts, those after are check-failed; the run is a harness failure.
    const engine = await hostExec(['docker', 'version', '--format', '{{.Server.Version}}'], { timeoutMs: 15_000 });
    const engineGone = engine.exitCode === 0 ? undefined : `the Docker engine stopped answering during the run (${engine.stderr.trim().split('\n').at(-1) ?? ''})`;
    const topology = engineGone ? undefined : await readTopology(env);
    return result(claims, {
      topology,
      traffic: { uplinks: guard.uplinks, packetsStopped: await guard.packetsStopped() },
      ...(engineGone ? { harnessFailure: engineGone } : {}),
    });
  } finally {
    await run.teardown();
  }
}

/** Starts every workload as soon as what it depends on runs; independent ones start together. */
async function startWorkloads(spec: ScenarioSpec, env: StartedEnvironment, into: Record<string, StartedWorkload>): Promise<void> {
  const starting = new Map<string, Promise<StartedWorkload>>();
  const start = (name: string): Promise<StartedWorkload> => {
    if (!starting.has(name)) {
      const workload = spec.workloads[name]!;
      starting.set(
        name,
        Promise.all((workload.dependsOn ?? []).map(start)).then(() =>
          env.logger.step(`starting ${name}: ${workload.description}`, () => during(`starting ${name}`, () => workload.start(name, env))),
        ),
      );
    }
    return starting.get(name)!;
  };
  const started = await Promise.allSettled(Object.keys(spec.workloads).map(async (name) => (into[name] = await start(name))));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
}

async function tryClaim(claim: ClaimSpec, env: StartedEnvironment, context: () => Promise<ExecResult[]>): Promise<ClaimResult> {
  const started = performance.now();
  const attempts: AttemptResult[] = [];
  const evidence: (readonly ExecResult[])[] = [];
  for (const attempt of claim.attempts) {
    const attemptStarted = performance.now();
    const observed = ofThisRun(await attempt.run(env.workloads[attempt.from ?? claim.from]!, env).catch((error: unknown) => checkFailed(attempt.describe, error)), env.run.id);
    attempts.push(attemptResult(claim, attempt, observed, performance.now() - attemptStarted));
    evidence.push(observed.evidence);
  }
  return claimResult(claim, attempts, evidence, await context(), performance.now() - started);
}

/** One attempt as the results file has it: what was observed, against what the article expects of it. */
function attemptResult(claim: ClaimSpec, attempt: AttemptSpec, observed: Observation, durationMs: number): AttemptResult {
  const expectation = attempt.expect ?? claim.expect;
  return {
    connection: observed.connection,
    note: attempt.note,
    from: attempt.from,
    half: attempt.half,
    role: attempt.role,
    target: observed.target,
    answeredBy: observed.answeredBy,
    expected: expectation.label,
    outcome: observed.outcome,
    verdict: judge(expectation, observed.outcome),
    explanation: explain(observed.outcome, claim.why),
    detail: observed.detail,
    durationMs: Math.round(durationMs),
  };
}

/** A claim from its judged attempts: the verdict, what it rests on, the evidence. */
function claimResult(claim: ClaimSpec, attempts: AttemptResult[], evidence: (readonly ExecResult[])[], context: ExecResult[], durationMs: number): ClaimResult {
  const first = attempts[0]!;
  const verdict = claimVerdict(attempts);
  return {
    id: claim.id,
    article: claim.article,
    from: claim.from,
    says: claim.says,
    expected: claim.expect.label,
    connection: first.connection,
    outcome: first.outcome,
    verdict: verdict.status,
    ...(verdict.because ? { because: verdict.because } : {}),
    ...(claim.preconditions ? { preconditions: claim.preconditions } : {}),
    explanation: first.explanation,
    durationMs: Math.round(durationMs),
    attempts,
    evidence: { attempts: evidence, context },
  };
}

/** A claim whose attempts could not be made: each is check-failed with the reason. */
function untried(claim: ClaimSpec, reason: string): ClaimResult {
  const attempts = claim.attempts.map((attempt) => attemptResult(claim, attempt, checkFailed(attempt.describe, reason), 0));
  return { ...claimResult(claim, attempts, attempts.map(() => []), [], 0), because: reason };
}

function redactClaim(claim: ClaimResult, secrets: readonly string[]): ClaimResult {
  return {
    ...claim,
    evidence: {
      attempts: claim.evidence.attempts.map((list) => list.map((r) => redact(r, secrets))),
      context: claim.evidence.context.map((r) => redact(r, secrets)),
    },
  };
}
