import { runNamePrefix } from '../lab/names.ts';
import type { Observation } from './probe.ts';

/**
 * Every lab server names itself by its run resource name: an answer from a server
 * of another run (or of none) says nothing about this run's network, so it
 * is a failed check, with that fact.
 */
export function ofThisRun(observed: Observation, runId: string): Observation {
  const server = observed.answeredBy;
  const prefix = runNamePrefix(runId);
  const { outcome } = observed;
  if (!server) return observed;
  if (!server.startsWith(prefix)) {
    return { ...observed, outcome: { kind: 'check-failed', reason: `answered by ${server}, which is not a server of run ${runId}: another run's (or no run's) server holds this address or port` } };
  }
  // Expectations name workloads ("connects to db"): the outcome carries the answering workload's name.
  return outcome.kind === 'success' || outcome.kind === 'http-status' ? { ...observed, outcome: { ...outcome, server: server.slice(prefix.length) } } : observed;
}
