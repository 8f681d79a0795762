import type { ImageName } from '../images/catalogue.ts';
import type { LabRun } from '../lab/lab-run.ts';
import type { TrafficGuard } from '../lab/traffic-guard.ts';
import type { Logger } from '../log.ts';
import type { DockerFacts } from './docker/docker-facts.ts';

/** Everything a workload or probe may use during a run. */
export interface StartedEnvironment {
  readonly run: LabRun;
  readonly logger: Logger;
  readonly facts: DockerFacts;
  readonly guard: TrafficGuard;
  readonly images: Readonly<Record<ImageName, string>>;
}
