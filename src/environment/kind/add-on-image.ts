import { ensureImages } from '../../images/build-images.ts';
import type { Logger } from '../../log.ts';
import { ensureComponentImage, type ComponentRecipe, type ImageComponent } from './component-images.ts';
import { ensureGoArtefact, type AddOnArtefact, type BuiltArtefact, type GoArtefact } from './go-artefacts.ts';
import { everyNode, type ImagePlacement } from './image-placement.ts';
import { loadWherePlaced, type KindLab } from './kind-lab.ts';
import { readVersions } from './versions.ts';

/**
 * An add-on's image (Traefik, MetalLB): its artefact built from its Go module
 * (the first time), `files` of it put on the lab's Debian base by
 * images/kind/<artefact>/Dockerfile. Returns the image and the built artefact
 * (its other outputs, such as an install manifest, are read from there).
 */
export async function buildAddOnImage(artefact: AddOnArtefact, files: readonly string[], logger: Logger): Promise<{ ref: string; built: BuiltArtefact }> {
  const built = await ensureGoArtefact(artefact, await readVersions(), logger);
  const { debian } = await ensureImages(['debian'], logger);
  // The component-image builder is typed for the node's components and artefacts; an add-on is one more of each.
  const asArtefact = artefact as unknown as GoArtefact;
  const recipe: ComponentRecipe = { dockerfile: artefact, inputs: files.map((file) => [asArtefact, file, file] as const), buildArgs: {}, onDebian: true };
  const ref = await ensureComponentImage(artefact as unknown as ImageComponent, { recipe, artefacts: { [asArtefact]: built }, debianRef: debian }, logger);
  return { ref, built };
}

/** The add-on's image as buildAddOnImage makes it, loaded into the nodes of `placement` (a DaemonSet's: every node) that lack it. */
export async function ensureAddOnImage(lab: KindLab, artefact: AddOnArtefact, files: readonly string[], logger: Logger, placement: ImagePlacement = everyNode): Promise<{ ref: string; built: BuiltArtefact }> {
  const image = await buildAddOnImage(artefact, files, logger);
  await loadWherePlaced(lab.cluster, lab.client, [image.ref], new Map([[image.ref, placement]]), logger);
  return image;
}
