import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { LabRun } from './lab-run.ts';
import { lockHolder, tryLock } from './lock-file.ts';

/**
 * Things of the host that only one run at a time can have, because an
 * article fixes them: host port 5432 (the host's PostgreSQL), a port a
 * host-network server binds, a published host port, the lab LAN's host
 * address. A run takes all it needs before starting its workloads, in one
 * order (sorted), so two runs never hold one each and wait for the other;
 * a second run waits, saying for what and held by whom, instead of failing
 * or sharing. A holder that died (SIGKILL) releases by dying.
 */
const lockDir = () => process.env.NETPROOF_LOCK_DIR ?? join(tmpdir(), 'netproof-locks');

interface Holder {
  readonly run: string;
  readonly pid: number;
  readonly scenario: string;
}

const fileOf = (resource: string) => join(lockDir(), `${resource.replace(/[^\w.-]+/g, '_')}.lock`);

const holderOf = (resource: string) => lockHolder<Holder>(fileOf(resource));

/** Takes the resource if free (or held by a dead process); false while a live run holds it. Taken again by the run that holds it (a step that takes it per attempt, as --repeat tries claims again): it has it. */
const tryTake = (resource: string, me: Holder) => tryLock(fileOf(resource), me, (holder) => holder.run === me.run && holder.pid === me.pid);

export interface AcquireOptions {
  readonly logger: Logger;
  /** How long to wait for a run holding one of them; default 15 minutes. */
  readonly timeoutMs?: number;
  readonly pollMs?: number;
}

/** Takes every resource (sorted, so runs never deadlock), waiting for other runs; released with the run. */
export async function acquireHostResources(run: LabRun, resources: readonly string[], options: AcquireOptions): Promise<void> {
  const me: Holder = { run: run.id, pid: process.pid, scenario: run.scenario };
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  for (const resource of [...new Set(resources)].sort()) {
    let announced = false;
    while (!(await tryTake(resource, me))) {
      const holder = await holderOf(resource);
      if (!announced && holder) {
        options.logger.info(`waiting for ${resource}, held by run ${holder.run} (${holder.scenario}, pid ${holder.pid})`);
        announced = true;
      }
      if (Date.now() > deadline) {
        throw new EnvironmentError(`${resource} is still held by run ${holder?.run ?? '?'} (pid ${holder?.pid ?? '?'})`, 'wait for that run to end, or stop it (Ctrl-C) and run again');
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
    }
    run.defer(`release ${resource}`, () => releaseIfMine(resource, me));
  }
}

/** Gives resources back before the run ends (one step needed them); those it does not hold are left alone. */
export async function releaseHostResources(run: LabRun, resources: readonly string[]): Promise<void> {
  for (const resource of new Set(resources)) await releaseIfMine(resource, { run: run.id, pid: process.pid, scenario: run.scenario });
}

async function releaseIfMine(resource: string, me: Holder): Promise<void> {
  const holder = await holderOf(resource);
  if (holder?.run === me.run && holder.pid === me.pid) await rm(fileOf(resource), { force: true });
}

/** Names for the resources, so every workload spells them alike. */
export const HostResource = {
  tcpPort: (port: number) => `host port ${port}/tcp`,
  labLan: (subnet: string) => `lab LAN ${subnet}`,
  /** A Docker network's fixed subnet: the engine refuses a second network that overlaps it. */
  subnet: (subnet: string) => `subnet ${subnet}`,
  /** A Service's fixed nodePort: every node of one cluster opens it, so one Service a cluster has it. */
  nodePort: (port: number) => `nodePort ${port}/tcp`,
  /** An object of a fixed name in a namespace every run shares (default): one run of a cluster has it. */
  inNamespace: (namespace: string, name: string) => `${namespace}/${name}`,
  ofCluster: (cluster: string, resource: string) => `kind cluster ${cluster}: ${resource}`,
} as const;
