import { hostExec } from '../../exec/host-exec.ts';
import { containerExec } from '../../workloads/container-exec.ts';
import type { ContainerRun, EngineHost, RunningContainer } from './engine-host.ts';

let testcontainers: Promise<typeof import('./lab-generic-container.ts')> | undefined;
/**
 * testcontainers, loaded only where containers start (it was a third of the
 * CLI's start-up: a listing, a usage error or the argument check never needs
 * it); the CLI loads it as a run begins, before the lab's first step.
 */
export const loadTestcontainers = () => (testcontainers ??= import('./lab-generic-container.ts'));

/** The machine's own engine, through testcontainers; its namespace is this process's. */
export const machineEngine: EngineHost = {
  engine: 'machine',
  where: "this machine's own engine",
  dockerArgv: (args) => ['docker', ...args],
  docker: (args, options) => hostExec(['docker', ...args], options),
  exec: (argv, options) => hostExec(argv, options),
  system: (argv, options) => hostExec(argv, options),
  adoptLink: async () => undefined,
  async runContainer(spec: ContainerRun): Promise<RunningContainer> {
    const { LabGenericContainer, Wait } = await loadTestcontainers();
    let builder = new LabGenericContainer(spec.image)
      .withName(spec.name)
      .withNetworkMode(spec.network)
      .withLabels({ ...spec.labels })
      .withEnvironment({ ...spec.env })
      .withCommand([...(spec.command ?? ['sleep', 'infinity'])]);
    if (spec.dns) builder = builder.withDns(spec.dns);
    if (spec.aliases?.length) builder = builder.withNetworkAliases(...spec.aliases);
    if (spec.links) builder = builder.withLinks(spec.links);
    for (const p of spec.publish ?? []) builder = p.hostIp ? builder.withPortOn(p.hostIp, p.host, p.container) : builder.withExposedPorts({ container: p.container, host: p.host });
    if (spec.addHosts?.length) builder = builder.withExtraHosts(spec.addHosts.map((entry) => ({ host: entry.slice(0, entry.indexOf(':')), ipAddress: entry.slice(entry.indexOf(':') + 1) })));
    if (spec.capAdd?.length) builder = builder.withAddedCapabilities(...spec.capAdd);
    if (spec.privileged) builder = builder.withPrivilegedMode();
    if (spec.sysctls) builder = builder.withSysctls(spec.sysctls);
    if (spec.readOnlyMounts?.length) builder = builder.withBindMounts(spec.readOnlyMounts.map((m) => ({ source: m.source, target: m.target, mode: 'ro' as const })));
    if (spec.ready) builder = builder.withWaitStrategy(Wait.forSuccessfulCommand(spec.ready));
    const started = await builder.start();
    return {
      id: started.getId(),
      containerName: started.getName().replace(/^\//, ''),
      exec: (argv, options) => containerExec(started, argv, options),
      remove: async () => void (await started.stop({ remove: true, removeVolumes: true, timeout: 0 })),
    };
  },
};
