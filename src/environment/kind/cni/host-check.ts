import { EnvironmentError } from '../../../errors.ts';
import { upstreamNodeImage } from '../node-image.ts';
import type { CniModule, NodeImageFacts } from './cni-module.ts';
import { readKernelConfig, requireKernelFor } from './kernel-facts.ts';
import { cniModules } from './registry.ts';

/**
 * Refuses a bundled CNI whose node image is not the one this run uses: upstream
 * kindnet lives only in kind's own node image, the lab's stand-in only in the
 * one built here. An EnvironmentError (exit 3) saying which to choose instead.
 */
export function requireNodeImageFor(cni: CniModule, nodeImage: NodeImageFacts['source'], upstreamImage?: string): void {
  if (cni.source.kind !== 'bundled' || cni.source.nodeImage === nodeImage) return;
  const other = cniModules.find((m) => m.source.kind === 'bundled' && m.source.nodeImage === nodeImage)!;
  if (nodeImage === 'local') {
    throw new EnvironmentError(
      `${cni.name} comes only in kind's own node image (kindest/node), and NETPROOF_KIND_NODE_IMAGE names none: this run would build its node image here, which carries ${other.name} instead`,
      `where a registry is reachable, docker pull a kindest/node image and set NETPROOF_KIND_NODE_IMAGE to it; without one, --cni ${other.name} runs the lab's stand-in`,
    );
  }
  throw new EnvironmentError(
    `${cni.name} comes only in the node image built here, and NETPROOF_KIND_NODE_IMAGE=${upstreamImage} is an upstream node image, which carries ${other.name}`,
    `unset NETPROOF_KIND_NODE_IMAGE to run ${cni.name}, or choose --cni ${other.name}`,
  );
}

/** Refuses, before any cluster is made, a CNI this host cannot run: a kernel option it needs, or its node image. */
export async function checkHostFor(cni: CniModule): Promise<void> {
  requireKernelFor(cni, await readKernelConfig());
  const upstream = upstreamNodeImage();
  requireNodeImageFor(cni, upstream ? 'upstream' : 'local', upstream);
}
