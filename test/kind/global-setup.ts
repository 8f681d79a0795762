import { hostExec } from '../../src/exec/host-exec.ts';
import { buildAddOnImage } from '../../src/environment/kind/add-on-image.ts';
import { ensureKindToolchain } from '../../src/environment/kind/node-image.ts';
import { ensureImages } from '../../src/images/build-images.ts';
import { catalogue, type ImageName } from '../../src/images/catalogue.ts';
import { consoleLogger } from '../../src/log.ts';

/** The project's app images the kind tests load into the nodes (those the catalogue has). */
export const appImages = (['django', 'flask', 'nginx', 'postgres', 'toolbox'] as const).filter((name) => name in catalogue) as ImageName[];

/**
 * Builds the kind toolchain (node image and tools; long the first time on a
 * machine, cached after), the app images and the add-ons' images (Traefik for
 * K15, MetalLB for K14) before any test's timeout starts.
 */
export default async function setup(): Promise<void> {
  const info = await hostExec(['docker', 'info', '--format', '{{.ServerVersion}}']);
  if (info.exitCode !== 0) {
    throw new Error(`no Docker engine answers (${info.stderr.trim()}): run the tests with 'npm test', which starts one, or start Docker`);
  }
  // Kubernetes scenarios start lab containers (outside clients) through testcontainers, whose Ryuk reaper would be pulled: the lab reaps its own.
  process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
  const logger = consoleLogger();
  await ensureKindToolchain(logger);
  await ensureImages(appImages, logger);
  await buildAddOnImage('traefik', ['traefik'], logger);
  await buildAddOnImage('metallb', ['controller', 'speaker'], logger);
}
