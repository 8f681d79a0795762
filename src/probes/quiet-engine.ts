import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineHost } from '../environment/docker/index.ts';
import type { ExecResult } from '../exec/exec-result.ts';
import { checkFailed } from './check.ts';
import type { Observation, Probe } from './probe.ts';

/**
 * How long after an attempt a network created during it may still be
 * announced: the engine emits `create` once the bridge is set up, after it
 * rewrote FORWARD, and that can take a while on a loaded machine.
 */
const announceMarginMs = 2_000;

/** Networks created on the host's engine between two instants (unix seconds), as `docker events` reports them. */
export async function networksCreatedBetween(host: EngineHost, since: number, until: number): Promise<{ names: string[]; evidence: ExecResult }> {
  const evidence = await host.docker([
    'events', '--since', since.toFixed(3), '--until', until.toFixed(3),
    '--filter', 'type=network', '--filter', 'event=create', '--format', '{{.Actor.Attributes.name}}',
  ], { timeoutMs: 30_000 });
  if (evidence.exitCode !== 0) throw new Error(`\`${evidence.command}\` exited ${evidence.exitCode}: ${evidence.stderr.trim()}`);
  return { names: evidence.stdout.split('\n').map((line) => line.trim()).filter(Boolean), evidence };
}

/** Outcomes a disturbance cannot make: the rewrite only ever lets packets through. */
const unanswered = new Set(['timeout', 'no-route']);

/**
 * An attempt about isolation between Docker networks, counted only when no
 * network was created on the engine while it ran. Docker 20.10 re-inserts
 * FORWARD's jump to DOCKER-ISOLATION-STAGE-1 each time any bridge network is
 * created (libnetwork's EnsureJumpRule: delete, then insert); in between, a
 * SYN from one user-defined network to another is forwarded by the network's
 * own `-i br-x ! -o br-x -j ACCEPT`. Another run (or anyone) creating a network
 * then would decide the attempt, not the isolation the article speaks of. A
 * disturbed try is kept as evidence and the attempt is made again, at most
 * `tries` times; still disturbed, it is check-failed, never a verdict. An
 * unanswered try (timeout, no route) stands without that look: in the
 * moment of the rewrite FORWARD only lets more through, so it cannot make
 * an answer go missing.
 */
export function whileNoNetworkIsCreated(probe: Probe, tries = 3): Probe {
  return {
    ...probe,
    note: [probe.note, 'an answer counted only if no Docker network was created during the attempt'].filter(Boolean).join('; '),
    async run(source, env) {
      const disturbed: { observation: Observation; names: string[]; evidence: ExecResult }[] = [];
      const setAside = () => disturbed.flatMap((d) => [...d.observation.evidence, d.evidence]);
      for (let attempt = 1; attempt <= tries; attempt++) {
        const since = Date.now() / 1000;
        const observation = await probe.run(source, env);
        const tried = disturbed.map((d, i) => `try ${i + 1} (${d.observation.outcome.kind}) set aside: network(s) ${d.names.join(', ')} created meanwhile`);
        if (unanswered.has(observation.outcome.kind)) {
          const stands = `unanswered${tried.length ? ` in try ${attempt}` : ''}: a network created meanwhile could only have let the packets through for a moment, so the engine's events were not read`;
          return { ...observation, evidence: [...setAside(), ...observation.evidence], detail: [observation.detail, ...tried, stands].filter(Boolean).join('; ') };
        }
        const until = Date.now() + announceMarginMs;
        await sleep(until - Date.now());
        let created: Awaited<ReturnType<typeof networksCreatedBetween>>;
        try {
          created = await networksCreatedBetween(env.host, since, until / 1000);
        } catch (error) {
          return { ...checkFailed(observation.connection, new Error(`could not tell whether a network was created during the attempt: ${(error as Error).message}`), observation.evidence), target: observation.target };
        }
        if (created.names.length === 0) {
          const detail = [observation.detail, ...tried, `no Docker network created during ${tried.length ? `try ${attempt}` : 'the attempt'}`].filter(Boolean).join('; ');
          return { ...observation, evidence: [...setAside(), ...observation.evidence, created.evidence], detail };
        }
        disturbed.push({ observation, names: created.names, evidence: created.evidence });
      }
      const last = disturbed.at(-1)!.observation;
      const reason = `a Docker network was created on the engine during each of ${tries} tries (${disturbed.map((d) => d.names.join(', ')).join('; ')}): Docker's isolation rules were being rewritten, so no try shows the isolation itself`;
      return { ...checkFailed(last.connection, new Error(reason), setAside()), target: last.target };
    },
  };
}
