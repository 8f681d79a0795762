import { asComposeProject } from '../workloads/compose-project.ts';
import type { Setup } from './setup.ts';

/**
 * `docker compose up` once more on the source's project, unchanged: what
 * "every time up runs" is tried after. Nothing to undo: the project's
 * `down` at the run's end removes whatever it made.
 */
export function composeUpAgain(): Setup<void> {
  return {
    describe: 'docker compose up again (same project)',
    async apply(check, _env, source) {
      await check.must(asComposeProject(source).compose(['--progress', 'plain', 'up', '--detach', '--wait']), 'the second docker compose up');
    },
  };
}
