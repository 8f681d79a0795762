/**
 * A Docker engine built from its recipe (engines/<engine>/versions.env, built
 * by engines/moby/build.sh): its binaries cached by key like the kind
 * artefacts, and its lab-host image (engines/moby/Dockerfile) on the lab's
 * Debian base. Nothing here is per engine.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCachedBuild, tail, type BuiltArtefact } from '../../build/cached-build.ts';
import { parseEnvFile, type EnvFile } from '../../build/env-file.ts';
import { EnvironmentError } from '../../errors.ts';
import { hostExec } from '../../exec/host-exec.ts';
import { ensureImages } from '../../images/build-images.ts';
import { imagesRoot } from '../../images/catalogue.ts';
import type { Logger } from '../../log.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const enginesRoot = join(repoRoot, 'engines');
const buildScript = join(enginesRoot, 'moby', 'build.sh');
const goEnv = join(repoRoot, 'kind', 'build', 'go-env.sh');
/** What build.sh leaves, each copied into the image by engines/moby/Dockerfile. */
const outputs = ['dockerd', 'docker-proxy', 'containerd', 'containerd-shim-runc-v2', 'runc'] as const;

/** An engine's pinned versions (engines/<engine>/versions.env). */
export async function readEngineVersions(engine: string): Promise<EnvFile> {
  return parseEnvFile(await readFile(join(enginesRoot, engine, 'versions.env'), 'utf8'));
}

/** The toolchain the build uses (its version is part of the key); undefined without Go. */
export async function goVersion(): Promise<string | undefined> {
  const go = await hostExec(['bash', '-c', 'PATH="$PATH:/usr/local/go/bin"; go env GOVERSION']);
  return go.exitCode === 0 ? go.stdout.trim() : undefined;
}

async function buildKey(engine: string): Promise<string> {
  const hash = createHash('sha256').update(`engine ${engine}\0${await goVersion()}\0`);
  for (const file of [join(enginesRoot, engine, 'versions.env'), buildScript, goEnv]) hash.update(await readFile(file)).update('\0');
  return hash.digest('hex').slice(0, 12);
}

/**
 * The engine's lab-host image, netproof/engine-<engine>:<key>: built the
 * first time (binaries from the Go module proxy, minutes), found after.
 */
export async function ensureEngineImage(engine: string, logger: Logger): Promise<string> {
  const built = await ensureEngineBinaries(engine, logger);
  return engineImage(engine, built, logger);
}

/**
 * The engine's binaries (build.sh's outputs) in the cache, built the first
 * time. Building needs no engine, so a machine can prepare them ahead.
 */
export async function ensureEngineBinaries(engine: string, logger: Logger): Promise<BuiltArtefact> {
  const versions = await readEngineVersions(engine);
  return ensureCachedBuild(
    {
      name: `Docker ${versions.DOCKER_VERSION ?? engine}`,
      area: 'engines',
      stem: `docker-${engine}`,
      key: await buildKey(engine),
      command: ['bash', buildScript, join(enginesRoot, engine)],
      outputs,
      recipe: `engines/${engine}/versions.env and engines/moby/build.sh`,
      hint: 'check that the Go module proxy answers (go env GOPROXY), then run again',
      timeoutMs: 60 * 60_000,
    },
    logger,
  );
}

async function engineImage(engine: string, built: BuiltArtefact, logger: Logger): Promise<string> {
  const { debian } = await ensureImages(['debian'], logger);
  const dockerfile = await readFile(join(enginesRoot, 'moby', 'Dockerfile'));
  const entrypoint = join(imagesRoot, 'dind', 'dind-entrypoint');
  const hash = createHash('sha256').update(built.key).update(dockerfile).update(await readFile(entrypoint)).update(debian);
  const ref = `netproof/engine-${engine}:${hash.digest('hex').slice(0, 12)}`;
  if ((await hostExec(['docker', 'image', 'inspect', '--format', '{{.Id}}', ref])).exitCode === 0) return ref;
  await logger.step(`building image ${ref} (first time only)`, async () => {
    const context = await mkdtemp('/var/tmp/netproof-engine-image-');
    try {
      for (const file of outputs) await cp(join(built.dir, file), join(context, file));
      await cp(entrypoint, join(context, 'dind-entrypoint'));
      await cp(join(enginesRoot, 'moby', 'Dockerfile'), join(context, 'Dockerfile'));
      const result = await hostExec(['docker', 'build', '--network', 'host', '--label', 'netproof.image=1', '--build-arg', `BASE=${debian}`, '-t', ref, context], { timeoutMs: 20 * 60_000 });
      if (result.exitCode !== 0) throw new EnvironmentError(`building image ${ref} failed:\n${tail(result.stderr || result.stdout)}`, 'check that Debian packages can be downloaded (apt-get update works on this host), then run again');
    } finally {
      await rm(context, { recursive: true, force: true });
    }
  });
  return ref;
}
