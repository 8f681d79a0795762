/**
 * K18 as the netpol e2e tries NetworkPolicy: the suite of src/netpol/cases.ts
 * on the 3 × 3 matrix (src/netpol/suite.ts), each cell's expectation from the
 * model (src/netpol/model.ts) only. The article's words ("Calico: network
 * policy support") are judged only on Calico; on another CNI the per-case
 * table is a finding.
 */
import { cniOf, kindLabOf } from '../environment/kind/index.ts';
import { policyCases, type PolicyCase } from '../netpol/cases.ts';
import { formatVerdict } from '../netpol/conformance.ts';
import { startPolicyMatrix } from '../netpol/matrix-lab.ts';
import { runPolicySuite, suiteDetail, tallyOf, type SuiteOptions } from '../netpol/suite.ts';
import { checked } from './check.ts';
import type { Probe } from './probe.ts';

/** The CNI the article's sentence is about: the only one on which K18 is judged. */
export const articleCni = 'calico';

/**
 * Matrices trying cases side by side, each in its own namespaces (as the
 * netpol e2e's tests run in parallel), so the CNI's convergence after each
 * apply is waited for together: 1 here. Measured on kube-router on this
 * 2-core machine (the same cluster, one run each, 26 cases conformant every
 * time): K18 140 s with 1 lane, 168 s with 2, and 152 s with 3 in an `--all`
 * batch: the execs' CPU is the limit here (a batch's median 0.83 s at 1 lane,
 * 2.1 s at 2 and 3), and each case then converged later (3.1–8.8 s at 1,
 * 5.5–9.6 s at 2). A machine with cores to spare may gain from more.
 */
export const policyLanes = 1;

/**
 * Source pods probing at once, per lane: 4. Each exec runs its 36 probes in parallel
 * inside the pod, so the pool bounds API-server execs and python start-ups,
 * not probes. Measured on kube-router here (2 cores, one run each, all 26
 * cases conformant every time): the scenario took 121 s at 2, 125 s at 4 and
 * 108 s at 8, while a batch's median grew 0.23 → 0.49 → 0.86 s (execs queue
 * on 2 cores); 11 at once took as long as 4.
 *
 * A connection (or a datagram's answer) has 1 s, as in the netpol e2e
 * (getProbeTimeoutSeconds: 1 s, 3 s on Windows): a dropped cell costs each
 * matrix that much. Once connected, np-serve's HTTP answer has 3 s: a policy
 * stops the SYN, never the answer, so only a loaded machine's slowness is
 * waited for there. A cell that timed out for any other reason changes the
 * matrix, which is then probed again (settle).
 */
export const suiteOptions: SuiteOptions = {
  concurrency: 4,
  timeoutSeconds: 1,
  answerSeconds: 3,
  stableMatrices: 3,
  minSettleMs: 6_000,
  boundMs: 30_000,
};

export function networkPolicySuite(cases: readonly PolicyCase[] = policyCases): Probe {
  const describe = `NetworkPolicy conformance: ${cases.length} cases on the 3 × 3 matrix (80, 81; TCP, UDP), expected from the model`;
  return {
    describe,
    run: (_source, env) =>
      checked(describe, async (check) => {
        const lab = kindLabOf(env);
        const cni: string = cniOf(lab).name;
        const lanes = await Promise.all(Array.from({ length: policyLanes }, (_, i) => startPolicyMatrix(env, i + 1)));
        const matrix = lanes[0]!;
        const sctp = await check.record(matrix.sources.get('x/a')!.exec(['np-probe', 'sctp-support']));
        const sctpNote = sctp.exitCode === 0 ? "the pods' kernel gives SCTP sockets, but np-serve does not serve SCTP yet: not tried" : `not tried: the pods' kernel has no SCTP (${sctp.stdout.trim()})`;
        const suite = await runPolicySuite(lanes, cases, suiteOptions);
        for (const result of suite.evidence) await check.record(result);
        if (!suite.open) return { outcome: { kind: 'check-failed', reason: `with no policy the matrix is not open (${formatVerdict(suite.baseline.verdict)}): no case can be read` }, detail: suite.baseline.text };
        const header = [
          `CNI ${cni}; ${cases.length} cases; ${matrix.shape.rows.length} sources × ${matrix.shape.columns.length} pods × ${matrix.shape.at.length} port/protocols per matrix; ${lanes.length === 1 ? 'one lane (the cases one after another)' : `${lanes.length} lanes (cases tried side by side, each lane its own namespaces and pods)`}; probe timeout ${suiteOptions.timeoutSeconds} s (an HTTP answer once connected ${suiteOptions.answerSeconds} s), ${suiteOptions.concurrency} sources at once per lane; SCTP ${sctpNote}`,
          `trace: ${matrix.traceCell ? "one blocked TCP cell per case, probed again under the kernel's trace in the namespaces of the nodes it crosses: the rule that stopped it" : `none (${matrix.untracedBecause ?? 'not available'})`}`,
        ];
        const detail = suiteDetail(header, suite.baselineMs, suite.cases, lanes);
        const summary = tallyOf(suite.cases);
        if (cni !== articleCni) {
          return {
            outcome: { kind: 'check-failed', reason: `not applicable here: the article says "Calico: network policy support", and this cluster runs ${cni} (Calico cannot be built from the module proxy here: kind/README.md); the suite on ${cni} is a finding: ${summary}` },
            detail,
          };
        }
        const allConformant = suite.cases.every((c) => c.conformance?.verdict.kind === 'conformant');
        return { outcome: { kind: 'fact', holds: allConformant, observed: `${summary} on ${cni}` }, detail };
      }),
  };
}
