import type { ImageName } from '../images/catalogue.ts';
import type { LabRun } from '../lab/lab-run.ts';
import type { TrafficGuard } from '../lab/traffic-guard.ts';
import type { Logger } from '../log.ts';
import type { StartedWorkload } from '../workloads/workload.ts';
import type { DockerFacts, EngineHost, LabHostEngine, StartedLabNetwork } from './docker/index.ts';
import type { KindLab } from './kind/index.ts';
import type { SetupsMade } from '../setup/setup.ts';

/** Everything a workload or probe may use during a run. */
export interface StartedEnvironment {
  readonly run: LabRun;
  readonly logger: Logger;
  /** The Docker engine the lab runs on (for kind too: its nodes are containers of it). */
  readonly facts: DockerFacts;
  /** The Docker host the scenario runs on ("the host"): its engine, its namespace. */
  readonly host: EngineHost;
  /** The kind cluster, the run's namespace and its nodes, for Kubernetes scenarios. */
  readonly kind?: KindLab;
  /** The engine of the Docker hosts the scenario makes (environment.ts, `engineRuns: 'docker-hosts'`). */
  readonly dockerHosts?: LabHostEngine;
  readonly guard: TrafficGuard;
  readonly images: Readonly<Record<ImageName, string>>;
  /** The scenario's networks, created before any workload. */
  readonly networks: Readonly<Record<string, StartedLabNetwork>>;
  /** Workloads by name as they start ("host" is the Docker host itself). */
  readonly workloads: Readonly<Record<string, StartedWorkload>>;
  /** During an attempt with a setup: what the runner set up for it (read with `madeBy`). */
  readonly setupsMade?: SetupsMade;
}
