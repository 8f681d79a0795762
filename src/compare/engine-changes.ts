/**
 * What changed between Docker engines where a claim looks, with the version
 * that brought it and the reference where one is known (engines/README.md,
 * "What changes between engines", from the lab's own runs and traces). These
 * explain a difference the lab observed; they never set an expectation: a
 * verdict comes from the run alone.
 */

export interface EngineChange {
  readonly claim: string;
  /**
   * What changes: a Docker version (`28.0`: engines older than it behave the old way; with `lastWithout`, only
   * engines up to that one are known to: the change came somewhere between) or the nftables firewall backend.
   */
  readonly since: { readonly docker: string; readonly lastWithout?: string } | { readonly backend: 'nftables' };
  readonly what: string;
  /** The release note, PR or source that says so; or that it was only seen here. */
  readonly reference: string;
}

const directAccess = { docker: '28.0' } as const;
const nftables = { backend: 'nftables' } as const;
/** Seen between the engines run here (20.10, then 28.5); no release note found for it. */
const seenAfter2010 = { docker: '28.5', lastWithout: '20.10' } as const;

export const engineChanges: readonly EngineChange[] = [
  { claim: 'D17', since: directAccess, what: "a routed client's packet to a container's own IP is dropped in raw PREROUTING (`-d <container> ! -i docker0 -j DROP`), published or not; 20.10's DOCKER chain accepted a published port from any interface", reference: "moby#49325 (28.0); one rule per endpoint since 28.2 (moby's dropLegacyFilterDirectAccess)" },
  { claim: 'D23', since: directAccess, what: 'the `-p 127.0.0.1:…` container no longer answers a routed LAN neighbour at its own IP and port', reference: 'moby#45610, fixed by moby#49325 (28.0)' },
  { claim: 'D20', since: directAccess, what: "host C's published container no longer answers host A at its bridge IP through a static route: dropped in host C's raw PREROUTING", reference: 'moby#49325 (28.0)' },
  { claim: 'D20', since: nftables, what: 'the overlay half cannot be tried: `docker swarm init` answers "--firewall-backend=nftables is incompatible with swarm mode"', reference: "Docker 29.0's experimental nftables backend, not for swarm" },
  { claim: 'D31', since: nftables, what: 'no swarm, so no overlay network: the half that needs one cannot be tried', reference: "Docker 29.0's experimental nftables backend, not for swarm" },
  { claim: 'D8', since: seenAfter2010, what: "`docker network inspect bridge` gives the default bridge's IPAM gateway (172.17.0.1); 20.10 gave only the subnet", reference: 'seen here between 20.10 and 28.5; no release note found' },
  { claim: 'D14', since: seenAfter2010, what: "an `--internal` network's containers get no default route: the host's address is unreachable instead of refused", reference: 'seen here between 20.10 and 28.5; no release note found' },
  { claim: 'D32', since: nftables, what: "the article's `iptables -nvL -t nat` shows no DOCKER chain: the DNAT rule is in nftables' `table ip docker-bridges`", reference: 'Docker 29.0, `--firewall-backend=nftables`' },
  { claim: 'D18', since: nftables, what: "the DNAT rule is in nftables' `table ip docker-bridges`, not in iptables' DOCKER chain", reference: 'Docker 29.0, `--firewall-backend=nftables`' },
  { claim: 'D27', since: nftables, what: "Docker's own rules are nftables rules; the control replays them said in iptables' words", reference: 'Docker 29.0, `--firewall-backend=nftables`' },
];

/** `Docker 20.10.24+dfsg1` → [20, 10, 24]; undefined for anything else. */
export function dockerVersion(engine: string | undefined): number[] | undefined {
  const match = /^Docker (\d+)\.(\d+)(?:\.(\d+))?/.exec(engine ?? '');
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : undefined;
}

const before = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;

/** What an engine is, for the changes: its Docker version and firewall backend, as its results' fingerprint says. */
export interface EngineSide {
  readonly engine?: string;
  readonly firewallBackend?: string;
}

const versionOf = (docker: string) => dockerVersion(`Docker ${docker}`)!;

/** Whether an engine has the change: the nftables backend, or a Docker version from the one that brought it. */
function has(change: EngineChange, side: EngineSide): boolean {
  if ('backend' in change.since) return side.firewallBackend === change.since.backend;
  const version = dockerVersion(side.engine);
  return version !== undefined && before(version, versionOf(change.since.docker)) >= 0;
}

/** Whether an engine is known to lack it: another backend, or a version before it (up to `lastWithout` where only that is known). */
function lacks(change: EngineChange, side: EngineSide): boolean {
  if ('backend' in change.since) return side.firewallBackend !== undefined && side.firewallBackend !== change.since.backend;
  const version = dockerVersion(side.engine);
  if (version === undefined) return false;
  return change.since.lastWithout ? before(version, versionOf(`${change.since.lastWithout}.999`)) <= 0 : before(version, versionOf(change.since.docker)) < 0;
}

/** The changes to a claim that lie between some two of the engines given (one has it, another is known to lack it): what explains a row where they differ. */
export function changesBetween(claim: string, sides: readonly EngineSide[]): EngineChange[] {
  return engineChanges.filter((change) => change.claim === claim && sides.some((a) => has(change, a)) && sides.some((b) => lacks(change, b)));
}

/** The changes to a claim that this one engine already has (for a single run's report). */
export function changesIn(claim: string, side: EngineSide): EngineChange[] {
  return engineChanges.filter((change) => change.claim === claim && has(change, side));
}

/** The engine a result ran on, for the changes: a Docker host's engine where the scenario ran on those (docker-two-hosts), else the scenario's host's. */
export function engineSideOf(environment: Readonly<Record<string, string>>): EngineSide {
  return environment.dockerHostsEngine ? { engine: `Docker ${environment.dockerHostsEngine}` } : { engine: environment.engine, firewallBackend: environment.firewallBackend };
}

/** One line: what changed, since when, and the reference. */
export const changeText = (change: EngineChange): string =>
  `${'backend' in change.since ? 'with the nftables backend' : change.since.lastWithout ? `after Docker ${change.since.lastWithout}, by ${change.since.docker}` : `since Docker ${change.since.docker}`}: ${change.what} (${change.reference})`;
