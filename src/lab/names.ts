/**
 * How the lab names what it makes, built from the run id, and how sweeps read
 * the run id back. The one module that knows the prefix: sweeps of older
 * runs, tests and the identities servers answer with depend on these formats
 * staying exactly as they are.
 */

/** The label every container, network, Kubernetes namespace and cluster-scoped object of a run carries: its run id. */
export const runLabel = 'netproof.run';
/** The label naming the scenario a run's resources belong to. */
export const scenarioLabel = 'netproof.scenario';

/** `np-<run>-`: how every name a run gives starts (containers, networks, compose projects, netns, server identities, its own kind cluster). */
export const runNamePrefix = (runId: string) => `np-${runId}-`;
/** `np-<run>-<name>`: a workload's container and the identity its server answers with, a lab network, a compose project, a netns. */
export const runResourceName = (runId: string, name: string) => `${runNamePrefix(runId)}${name}`;
/** The run id in a name made by runResourceName; undefined for any other name. */
export const runIdOfName = (name: string): string | undefined => /^np-([a-z0-9]{1,12})-/.exec(name)?.[1];

/** The run's own Kubernetes namespace: `np-<run>`. */
export const runNamespace = (runId: string) => `np-${runId}`;
/** A kind cluster a run starts for itself: `np-<run>-<cni>`. */
export const runClusterName = (runId: string, cni: string) => runResourceName(runId, cni);
/**
 * A kind cluster started through the API with no name given: `np-<pid>-<n>`
 * (unique per process). runIdOfName reads the pid from it as a run id that no
 * registration holds; pidOfRunId gives the process that owns it.
 */
export const unnamedClusterName = (pid: number, n: number) => `np-${pid}-${n}`;
/**
 * The process named by a run id read from a name, when the id is a pid (digits
 * alone, no leading zero): an unnamedClusterName's. A run's own id is random
 * hex or a fixed word, and a run is judged by its registration first.
 */
export const pidOfRunId = (runId: string): number | undefined => (/^[1-9][0-9]{0,9}$/.test(runId) ? Number(runId) : undefined);

/** Host-side interfaces of a run (veths to outside clients): `np<run>` — no separator, so a suffix still fits IFNAMSIZ. */
export const runLinkPrefix = (runId: string) => `np${runId}`;
/** One host-side interface: `np<run><suffix>` (12 + 2 + a short suffix ≤ 15 characters). */
export const runLinkName = (runId: string, suffix: string) => `${runLinkPrefix(runId)}${suffix}`;

/** What the comment of every iptables rule of a run contains: `netproof run=<run>`. */
export const runRuleMarker = (runId: string) => `netproof run=${runId}`;
/** What the comment of any run's rule contains. */
export const anyRunRuleMarker = 'netproof run=';
/** The run id in a rule's words, read back from its marker. */
export const runIdOfRule = (ruleText: string): string | undefined => /netproof run=(\S+)/.exec(ruleText)?.[1];

/** An object named inside a place the run already owns (its namespace, a lab host's own engine): `np-<name>`. */
export const labObjectName = (name: string) => `np-${name}`;

/** A text with the run id of every run name in it replaced by `…` (what compare holds equal across runs). */
export const withoutRunIds = (text: string) => text.replace(/np-[0-9a-z]+-/g, 'np-…-');
