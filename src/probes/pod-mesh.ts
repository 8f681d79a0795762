import { kindLabOf } from '../environment/kind/index.ts';
import { checkFact, type FactFound } from './check.ts';
import { inCidr } from './pod-ranges.ts';
import { reportsIn } from './np-probe.ts';
import type { Probe } from './probe.ts';

/** One ordered pair's GET: who asked, whom, and the client address the server saw (np-serve's "you are"). */
export interface PairResult {
  readonly from: string;
  readonly to: string;
  readonly status?: number;
  readonly error?: string;
  readonly sourceIp: string;
  readonly seen?: string;
}

/** "Every pod can communicate directly with every other pod": each pair answered, and each server saw the client's own pod IP (no NAT). */
export function everyPairDirect(pairs: readonly PairResult[]): FactFound {
  const failed = pairs.filter((p) => p.status !== 200);
  const natted = pairs.filter((p) => p.status === 200 && p.seen !== p.sourceIp);
  const holds = pairs.length > 0 && failed.length === 0 && natted.length === 0;
  const problems = [...failed.map((p) => `${p.from} → ${p.to}: ${p.error ?? `HTTP ${p.status}`}`), ...natted.map((p) => `${p.from} → ${p.to}: seen as ${p.seen}, not ${p.sourceIp}`)];
  return { holds, observed: `${pairs.length - failed.length} of ${pairs.length} ordered pairs answered${problems.length ? `; ${problems.join('; ')}` : ", each server seeing the client's own pod IP"}` };
}

/**
 * From each listed pod (np-serve on `port`) to each other: a GET of
 * http://<pod IP>:<port>/, and the client address the server saw. The pods
 * sit on different nodes, so every pair of nodes is crossed both ways.
 */
export function everyPodToEveryPod(workloads: readonly string[], port: number): Probe {
  const connection = `GET http://<pod IP>:${port}/ from each of ${workloads.join(', ')} to each other`;
  return {
    describe: connection,
    run: (_source, env) =>
      checkFact(connection, async (check) => {
        const lab = kindLabOf(env);
        const pods = workloads.map((name) => ({ name, workload: check.need(env.workloads[name], `workload ${name}`) }));
        const pairs: PairResult[] = [];
        for (const from of pods) {
          for (const to of pods.filter((p) => p !== from)) {
            const ip = check.need(to.workload.addresses.pod || undefined, `${to.name}'s pod IP`);
            const sourceIp = check.need(from.workload.addresses.pod || undefined, `${from.name}'s pod IP`);
            check.need(inCidr(ip, lab.facts.podCidr) ? ip : undefined, `${to.name}'s IP ${ip} inside the pod CIDR ${lab.facts.podCidr}`);
            const result = await check.must(from.workload.exec(['np-probe', 'http', `http://${ip}:${port}/`, '--timeout', '5']), `the GET ${from.name} → ${to.name}`, [0, 1]);
            const report = check.need(reportsIn(result).at(-1), `an np-probe report for ${from.name} → ${to.name}`);
            pairs.push({ from: from.name, to: to.name, status: report.status, error: report.ok ? undefined : (report.errno ?? report.error), sourceIp, seen: /you are (\S+)/.exec(report.body ?? '')?.[1] });
          }
        }
        const nodes = pods.map((p) => `${p.name} ${p.workload.addresses.pod} on ${lab.facts.nodes.find((n) => n.address === p.workload.addresses.node)?.name.replace(`${lab.cluster.name}-`, '') ?? p.workload.addresses.node}`);
        return { ...everyPairDirect(pairs), detail: nodes.join('; ') };
      }),
  };
}
