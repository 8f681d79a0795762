/**
 * Kind clusters for scenarios, built without a registry:
 *
 *   await using cluster = await startKindCluster({ cni: 'kindnet', workers: 2 }, logger);
 *   await cluster.loadImages([refs.django]);
 *   await cluster.kubectlOrThrow(['apply', '-f', '-'], { input: manifest });
 *
 * The first call on a machine builds kind, Kubernetes, containerd and every
 * image from the Go module proxy and Debian (cached under the lab's cache,
 * keyed by kind/versions.env); later calls only create the cluster.
 */
export { supportedCnis, type Cni, type KindClusterSpec } from './cluster-config.ts';
export { deleteKindCluster, kindClusterLabel, startKindCluster, type StartedKindCluster } from './kind-cluster.ts';
export { ensureKindToolchain, type KindToolchain } from './node-image.ts';
export { runPodOnce, type PodRun, type RunPodOptions } from './run-pod.ts';
