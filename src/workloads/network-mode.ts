/**
 * What a container workload may write as its `network`: Docker's own modes
 * (`bridge`, `host`, `none`, `container:<workload>`) or a network the
 * scenario declares under `networks` (a user-defined bridge, macvlan or
 * ipvlan). Parsed once here, so the loader's check, the container's start
 * and the error a user reads agree on the list.
 */
export type NetworkMode =
  /** docker0, Docker's default. */
  | { readonly kind: 'bridge' }
  /** The host's own network namespace. */
  | { readonly kind: 'host' }
  /** A namespace with only `lo`. */
  | { readonly kind: 'none' }
  /** Another workload's namespace (a pod's containers share one this way): started after it. */
  | { readonly kind: 'container'; readonly workload: string }
  /** One of the scenario's networks, by its name there. */
  | { readonly kind: 'network'; readonly name: string };

/** Docker's modes that need no declaration, as they are written. */
export const builtinModes = ['bridge', 'host', 'none'] as const;
const containerPrefix = 'container:';

export function parseNetworkMode(written: string): NetworkMode {
  if ((builtinModes as readonly string[]).includes(written)) return { kind: written as (typeof builtinModes)[number] };
  if (written.startsWith(containerPrefix)) return { kind: 'container', workload: written.slice(containerPrefix.length) };
  return { kind: 'network', name: written };
}

/** The workload whose namespace `written` joins (`container:web` → web), else undefined. */
export function sharedNamespaceOf(written: string): string | undefined {
  const mode = parseNetworkMode(written);
  return mode.kind === 'container' ? mode.workload : undefined;
}

/** What the scenario around a workload offers it. */
export interface NetworkChoices {
  /** The networks declared under `networks`. */
  readonly declared: readonly string[];
  readonly workloads: readonly string[];
}

/** Everything that can be written as a network in this scenario, for an error message. */
export function whatCanBeWritten(choices: NetworkChoices, self?: string): string {
  const peers = choices.workloads.filter((w) => w !== self);
  return [
    ...builtinModes.map((m) => `'${m}'`),
    `'container:<workload>'${peers.length ? ` (${peers.map((w) => `container:${w}`).join(', ')})` : ' (no other workload to join)'}`,
    `a network declared under networks (${choices.declared.join(', ') || 'none declared'})`,
  ].join(', ');
}

/**
 * Why `written` is not a network `workload` can be on, or undefined when it
 * is. `primary`: its `network`; otherwise a further network it is connected
 * to after start, where only declared networks and `bridge` make sense.
 */
export function networkProblem(workload: string, written: string, choices: NetworkChoices, primary = true): string | undefined {
  const mode = parseNetworkMode(written);
  const offer = `; write one of: ${whatCanBeWritten(choices, workload)}`;
  switch (mode.kind) {
    case 'bridge':
      return undefined;
    case 'host':
    case 'none':
      return primary ? undefined : `workload ${workload} is connected to "${written}" after it starts, which Docker cannot do: make it the workload's network instead`;
    case 'container':
      if (!primary) return `workload ${workload} is connected to "${written}" after it starts, which Docker cannot do: a shared namespace can only be the workload's network`;
      if (mode.workload === workload) return `workload ${workload} joins its own network namespace ("${written}"): name another workload${offer}`;
      if (!choices.workloads.includes(mode.workload)) return `workload ${workload} joins the network namespace of "${mode.workload}", which is not a workload of the scenario${offer}`;
      return undefined;
    case 'network':
      if (choices.declared.includes(mode.name)) return undefined;
      return `workload ${workload} joins network "${written}", which the scenario does not declare under networks and which is not a Docker network mode${offer}`;
  }
}
