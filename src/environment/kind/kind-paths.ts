import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot } from '../../build/cache-root.ts';

export { cacheRoot };

/** The recipes: kind/ (versions, wrapper modules, scripts, manifests). */
export const kindRoot = fileURLToPath(new URL('../../../kind/', import.meta.url));
/** The Dockerfiles of the cluster's images: images/kind/<name>/. */
export const kindImagesRoot = fileURLToPath(new URL('../../../images/kind/', import.meta.url));
/** The repository root (tools/oci-capdrop is built from here). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Where each cluster's kubeconfig is written: <cache>/kind/clusters/<name>.kubeconfig. */
export function kubeconfigPath(clusterName: string): string {
  return join(cacheRoot(), 'kind', 'clusters', `${clusterName}.kubeconfig`);
}
