/**
 * The lab's Docker environment: the Docker host a scenario runs on (a
 * provider: the machine's engine, or a lab host; engines.ts lists them), its
 * facts and the run's own networks (bridges, and macvlan/ipvlan on a
 * lab-owned parent).
 * The only module code outside src/environment/docker/ imports (the layering
 * test holds it to that).
 */
export { readDockerFacts, readFirewallBackend, type DockerFacts } from './docker-facts.ts';
export { inspectNetwork, userNetwork, type NetworkSpec, type StartedLabNetwork, type UserNetworkOptions } from './lab-network.ts';
export { ipvlanNetwork, macvlanNetwork, parentPeer, parentPeerNamespace, type IpvlanOptions, type MacvlanOptions, type ParentNetworkOptions } from './lab-parent-network.ts';
export { succeeded, type ContainerRun, type EngineHost, type RunningContainer } from './engine-host.ts';
export { chooseEngine, debianDockerd2010, engines, type EngineProvider, type EngineStart, type LabHostEngine } from './engines.ts';
export { startLabHost, type LabHost, type LabHostOptions } from './lab-host-engine.ts';
export { loadTestcontainers, machineEngine } from './machine-engine.ts';
