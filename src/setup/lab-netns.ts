import { shellQuote } from '../exec/exec-result.ts';
import { hostExec } from '../exec/host-exec.ts';
import { runResourceName } from '../lab/names.ts';
import type { Setup } from './setup.ts';

/**
 * A network namespace of the run's own (`ip netns add` with the run's
 * resource name): an iptables of its own, where an article's commands can be
 * given without touching the host's. `prepared` runs in it first, each must
 * succeed (a chain the article's host has). Undone: deleted (the run's sweep
 * finds it too).
 */
export function labNetns(suffix: string, prepared: readonly (readonly string[])[] = []): Setup<string> {
  return {
    describe: `the network namespace ${runResourceName('<run>', suffix)}`,
    async apply(check, env) {
      const name = runResourceName(env.run.id, suffix);
      await check.must(hostExec(['ip', 'netns', 'add', name]), `creating the namespace ${name}`);
      for (const argv of prepared) await check.must(hostExec(['ip', 'netns', 'exec', name, ...argv]), `preparing the namespace: ${shellQuote(argv)}`);
      return name;
    },
    async undo(_check, env) {
      // Not recorded: the namespace was only where the commands ran; a namespace already gone is no failure.
      await hostExec(['ip', 'netns', 'delete', runResourceName(env.run.id, suffix)]);
    },
  };
}
