import { placeImages } from '../../environment/kind/index.ts';
import { during } from '../../errors.ts';
import type { ImageName } from '../../images/catalogue.ts';
import { acquireHostResources, HostResource } from '../../lab/host-resources.ts';
import { hostSource } from '../../workloads/host-source.ts';
import { made, type RunContext } from './run-context.ts';
import type { Step } from './step.ts';

/** The scenario's environment (its Docker host, the guard and facts, a kind cluster): it registers its own teardown with the run. */
export const startEnvironment: Step<RunContext> = {
  name: 'starting the environment',
  async run(context) {
    const { spec, options, logger } = context;
    const images = made(context, 'images');
    const imagePlacement = new Map([...placeImages(Object.values(spec.workloads))].map(([name, placement]) => [images[name as ImageName], placement]));
    context.environment = await during(`starting the environment: ${spec.environment.description}`, () =>
      spec.environment.start({ run: made(context, 'run'), logger, images: [...new Set(context.imageNames.map((name) => images[name]))], imagePlacement, keepCluster: options.keepCluster, ownCluster: options.ownCluster, engine: options.engine, choice: options.environment }),
    );
    context.workloads.host = hostSource(context.environment.host);
  },
};

/** The scenario's user-defined networks, side by side, each covered by the traffic guard as soon as it exists. */
export const createNetworks: Step<RunContext> = {
  name: "creating the scenario's networks",
  skip: ({ spec }) => Object.keys(spec.networks ?? {}).length === 0,
  async run(context) {
    const { guard, host } = made(context, 'environment');
    const run = made(context, 'run');
    // A network's fixed subnet is taken before any other resource: every run takes them in that order, so none waits in a circle.
    const subnets = Object.values(context.spec.networks ?? {}).flatMap((n) => n.hostResources ?? []);
    if (subnets.length > 0) await acquireHostResources(run, subnets, { logger: context.logger });
    // Side by side, and removed side by side: no network depends on another.
    await Promise.all(
      Object.entries(context.spec.networks ?? {}).map(([name, network]) =>
        run.makeInGroup('networks', name, async () => {
          context.networks[name] = await context.logger.step(`creating network ${name}: ${network.description}`, () => during(`creating network ${name}`, () => network.start(name, run, host)));
          await guard.coverBridge(context.networks[name].bridge);
        }),
      ),
    );
  },
};

/** The host resources (and cluster-wide ones) only one run at a time may have; the environment as workloads and probes see it. */
export const holdHostResources: Step<RunContext> = {
  name: 'taking the host resources the workloads need',
  async run(context) {
    const { spec, logger } = context;
    const run = made(context, 'run');
    const { facts, host, guard, kind, dockerHosts } = made(context, 'environment');
    const exclusive = Object.values(spec.workloads).flatMap((w) => [
      ...(w.hostResources ?? []),
      ...(kind ? (w.clusterResources ?? []).map((r) => HostResource.ofCluster(kind.cluster.name, r)) : []),
    ]);
    // Docker's nat rules "before" are read once the run holds its host ports: a run that held them
    // a moment ago may have left an identical rule (same port, same first docker0 address) until its end.
    let factsNow = facts;
    if (exclusive.length > 0) {
      await acquireHostResources(run, exclusive, { logger });
      factsNow = { ...facts, natRulesAtStart: await host.exec(['iptables', '-t', 'nat', '-S', 'DOCKER']) };
    }
    context.env = { run, logger, facts: factsNow, host, kind, dockerHosts, guard, images: made(context, 'images'), networks: context.networks, workloads: context.workloads };
  },
};
