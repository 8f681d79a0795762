import { buildAddOnImage } from '../../src/environment/kind/add-on-image.ts';
import { ensureKindToolchain, type KindToolchain } from '../../src/environment/kind/node-image.ts';
import { ensureImages } from '../../src/images/build-images.ts';
import { catalogue, type ImageName } from '../../src/images/catalogue.ts';
import { consoleLogger } from '../../src/log.ts';

/** The project's app images the kind tests load into the nodes (those the catalogue has). */
export const appImages = (['django', 'flask', 'nginx', 'postgres', 'toolbox'] as const).filter((name) => name in catalogue) as ImageName[];

/** How long a kind test file's preparation may take: on a fresh machine it waits for the toolchain's builds. */
export const prepareTimeoutMs = 60 * 60_000;

/**
 * What a kind test needs: the kind toolchain (node image and tools), the app
 * images and, for a file that runs every Kubernetes scenario, the add-ons'
 * images (Traefik for K15, MetalLB for K14: the largest builds after
 * Kubernetes, so files that need neither do not wait for them). Each file's
 * beforeAll calls it, not the project's global set-up: vitest runs every
 * project's global set-up before the first test of any, and these builds (long
 * on a fresh machine, a look-up after) are to overlap the tiers before this
 * one, with the Go builds test/prebuild.ts started beside them.
 */
export async function prepareKindTier(needs: { addOns?: boolean } = {}): Promise<KindToolchain> {
  const logger = consoleLogger();
  const toolchain = await ensureKindToolchain(logger);
  await ensureImages(appImages, logger);
  if (needs.addOns) {
    await buildAddOnImage('traefik', ['traefik'], logger);
    await buildAddOnImage('metallb', ['controller', 'speaker'], logger);
  }
  return toolchain;
}
