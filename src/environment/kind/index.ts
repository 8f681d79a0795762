/**
 * kind, the lab's Kubernetes environment: the only module code outside
 * src/environment/kind/ imports (the layering test holds it to that).
 *
 *   await using cluster = await startKindCluster({ cni: 'kindnetd-lab', workers: 2 }, logger);
 *   await cluster.loadImages([refs.django]);
 *   await cluster.kubectlOrThrow(['apply', '-f', '-'], { input: manifest });
 *
 * The first call on a machine builds kind, Kubernetes, containerd and every
 * image from the Go module proxy and Debian (cached under the lab's cache,
 * keyed by kind/versions.env); later calls only create the cluster. Importing
 * it registers kind's sweeper, so sweeps find what runs left in clusters. The
 * CNIs are modules listed in cni/registry.ts (one file each, docs/adding-a-cni.md).
 */
import { registerSweeper } from '../../lab/sweepers.ts';
import { kindSweeper } from './kind-sweep.ts';

registerSweeper(kindSweeper);

export { ensureAddOnImage } from './add-on-image.ts';
export { type KindClusterSpec } from './cluster-config.ts';
export type { CniModule } from './cni/cni-module.ts';
export { articlePodSubnet } from './cni/cni-module.ts';
export { checkHostFor } from './cni/host-check.ts';
export { cniHelp, cniModule, cniModules, cniNames, defaultCni, defaultCniFor, isCni, offlineCniNames, type Cni } from './cni/registry.ts';
export type { AddOnArtefact } from './go-artefacts.ts';
export { abandonClusterCreations, clusterExists, deleteKindCluster, kindClusterLabel, startKindCluster, type StartedKindCluster } from './kind-cluster.ts';
export { cniOf, isSharedClusterName, kindLabOf, nodeNamed, sharedClusterName, startKindLab, type KindLab, type KindLabSpec, type KindNode } from './kind-lab.ts';
export { kindNetwork, packetsStoppedFromKind } from './kind-network.ts';
export { everyNode, placeImages, scheduledNodes, type ImagePlacement, type PodPlacement } from './image-placement.ts';
export { kindNodeNetwork } from './kind-node-network.ts';
export { kubeconfigPath } from './kind-paths.ts';
export { nodeNamespace } from './node-namespace.ts';
export { WatchTimedOut } from './kube-client.ts';
export { createPool, ensureMetallbImage, installMetallb, metallbNamespace, poolFromSubnet, poolObjects, removeMetallb } from './metallb.ts';
export { ensureKindTool, ensureKindToolchain, type KindToolchain } from './node-image.ts';
export { noNetworkEvent, readPreCniRecord, type ClusterState, type PreCniRecord } from './pre-cni.ts';
export { runPodOnce, type PodRun, type RunPodOptions } from './run-pod.ts';
export { readVersions } from './versions.ts';
export { ciliumServiceList, inCiliumAgent, serviceFrontends, type CiliumFrontend } from './cni/cilium-services.ts';
