import { hostExec } from '../../src/exec/host-exec.ts';
import { ensureImages } from '../../src/images/build-images.ts';
import { consoleLogger } from '../../src/log.ts';

/**
 * Integration tests need the real engine and the lab's images. `npm test`
 * (scripts/netproof.sh) starts the engine first; here the images are built
 * once, before any test's timeout starts. Without an engine the suite fails
 * with what to do: it never pretends to have tested anything.
 */
export default async function setup(): Promise<void> {
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  const info = await hostExec(['docker', 'info', '--format', '{{.ServerVersion}}']);
  if (info.exitCode !== 0) {
    throw new Error(`no Docker engine answers (${info.stderr.trim()}): run the tests with 'npm test', which starts one, or start Docker`);
  }
  await ensureImages(['postgres', 'django'], consoleLogger());
}
