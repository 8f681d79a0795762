import { hostExec } from '../../src/exec/host-exec.ts';

/**
 * The kind tiers need an engine; what they build is each file's preparation
 * (test/kind/prepare.ts), so that it overlaps the tiers that run first.
 */
export default async function setup(): Promise<void> {
  const info = await hostExec(['docker', 'info', '--format', '{{.ServerVersion}}']);
  if (info.exitCode !== 0) {
    throw new Error(`no Docker engine answers (${info.stderr.trim()}): run the tests with 'npm test', which starts one, or start Docker`);
  }
  // Kubernetes scenarios start lab containers (outside clients) through testcontainers, whose Ryuk reaper would be pulled: the lab reaps its own.
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
}
