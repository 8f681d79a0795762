import { redact } from '../../evidence/redact.ts';
import type { ClaimResult } from '../../report/result.ts';
import { readTopology } from '../../report/topology.ts';
import { made, type RunContext } from './run-context.ts';
import type { Step } from './step.ts';

const started = (context: RunContext) => context.notStarted === undefined;

/** An engine that died mid-run: the claims tried before keep their verdicts; the run is a harness failure. */
export const checkEngine: Step<RunContext> = {
  name: 'checking the engine still answers',
  skip: (context) => !started(context),
  async run(context) {
    const engine = await made(context, 'environment').host.docker(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 15_000 });
    if (engine.exitCode !== 0) context.engineGone = `the Docker engine stopped answering during the run (${engine.stderr.trim().split('\n').at(-1) ?? ''})`;
  },
};

/** What was built and how it is wired, for the report's drawing (not when the engine is gone). */
export const recordTopology: Step<RunContext> = {
  name: 'reading the topology',
  skip: (context) => !started(context) || context.engineGone !== undefined,
  async run(context) {
    context.topology = await readTopology(made(context, 'env'));
  },
};

/** What the traffic guard stopped on its way off the machine (must be 0). */
export const countStoppedPackets: Step<RunContext> = {
  name: 'counting what the traffic guard stopped',
  async run(context) {
    context.packetsStopped = await made(context, 'environment').guard.packetsStopped();
  },
};

/** The scenario's secrets (passwords it uses) scrubbed from every claim's evidence. */
export const redactEvidence: Step<RunContext> = {
  name: 'redacting secrets from the evidence',
  skip: (context) => !context.options.secrets?.length,
  async run(context) {
    context.claims = made(context, 'claims').map((claim) => redactClaim(claim, context.options.secrets!));
  },
};

function redactClaim(claim: ClaimResult, secrets: readonly string[]): ClaimResult {
  return {
    ...claim,
    evidence: {
      attempts: claim.evidence.attempts.map((list) => list.map((r) => redact(r, secrets))),
      context: claim.evidence.context.map((r) => redact(r, secrets)),
    },
  };
}
