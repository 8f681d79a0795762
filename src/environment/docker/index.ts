/**
 * The machine's Docker engine as the lab's Docker environment: its facts and
 * the run's own networks. The only module code outside
 * src/environment/docker/ imports (the layering test holds it to that).
 */
export { readDockerFacts, type DockerFacts } from './docker-facts.ts';
export { inspectNetwork, userNetwork, type NetworkSpec, type StartedLabNetwork } from './lab-network.ts';
