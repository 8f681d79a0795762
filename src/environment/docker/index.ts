/**
 * The machine's Docker engine as the lab's Docker environment: its facts and
 * the run's own networks (bridges, and macvlan/ipvlan on a lab-owned parent).
 * The only module code outside src/environment/docker/ imports (the layering
 * test holds it to that).
 */
export { readDockerFacts, type DockerFacts } from './docker-facts.ts';
export { inspectNetwork, userNetwork, type NetworkSpec, type StartedLabNetwork, type UserNetworkOptions } from './lab-network.ts';
export { ipvlanNetwork, macvlanNetwork, parentPeer, parentPeerNamespace, type IpvlanOptions, type MacvlanOptions, type ParentNetworkOptions } from './lab-parent-network.ts';
