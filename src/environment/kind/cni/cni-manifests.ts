/**
 * Each CNI's own manifest (from its pinned Go module), adapted for the lab with
 * the fewest edits, each one checked so an upstream change fails loudly:
 *  - images: the lab's build (offline, never pulled) or the pinned upstream tag;
 *  - the API server by the control plane's node address instead of the
 *    kubernetes Service: a hostNetwork agent starting before kube-proxy's rule
 *    would otherwise send its SYN along the node's default route, off the machine.
 */
export type CniSupply = 'offline' | 'upstream';

export interface ManifestTarget {
  readonly supply: CniSupply;
  /** Offline: the image built here (netproof/kind-<cni>:<key>). */
  readonly image?: string;
  /** host:port of the API server on the node network. */
  readonly apiServer: { readonly host: string; readonly port: number };
}

/** flannel's Documentation/kube-flannel.yml for the lab. */
export function adaptFlannelManifest(manifest: string, target: ManifestTarget): string {
  let out = withApiServer(manifest, target.apiServer);
  if (target.supply === 'offline') {
    // Both of its images are one lab image (flanneld, install-conf and /flannel).
    out = replaceImages(out, /ghcr\.io\/flannel-io\/flannel(-cni-plugin)?:\S+/g, target.image!, 3);
    // The CNI plugin built here (containernetworking/plugins v0.9.1, its last home
    // on the module proxy) speaks CNI spec 0.4.0 at most.
    out = replaceOnce(out, '"cniVersion": "1.0.0"', '"cniVersion": "0.4.0"');
  }
  return out;
}

/** kube-router's daemonset/generic-kuberouter.yaml for the lab (kube-proxy stays: --run-service-proxy=false). */
export function adaptKubeRouterManifest(manifest: string, target: ManifestTarget & { version: string }): string {
  let out = withApiServer(manifest, target.apiServer);
  out = replaceImages(out, /docker\.io\/cloudnativelabs\/kube-router(?::\S+)?/g, target.supply === 'offline' ? target.image! : `docker.io/cloudnativelabs/kube-router:${target.version}`, 2);
  return out;
}

/** Points every container with an env list at the API server's node address. */
function withApiServer(manifest: string, api: ManifestTarget['apiServer']): string {
  const envLines = [...manifest.matchAll(/^( *)env:\n/gm)];
  if (envLines.length !== 1) throw new Error(`expected one env: list in the CNI manifest, found ${envLines.length}`);
  const indent = envLines[0]![1]!;
  const entry = (name: string, value: string) => `${indent}- name: ${name}\n${indent}  value: "${value}"\n`;
  return manifest.replace(/^( *)env:\n/m, (line) => line + entry('KUBERNETES_SERVICE_HOST', api.host) + entry('KUBERNETES_SERVICE_PORT', String(api.port)));
}

/** Replaces each image reference and sets its pull policy: Never for lab images, IfNotPresent for upstream tags. */
function replaceImages(manifest: string, pattern: RegExp, image: string, expected: number): string {
  const policy = image.startsWith('netproof/') ? 'Never' : 'IfNotPresent';
  let count = 0;
  const out = manifest
    .replace(/^ *imagePullPolicy: .*\n/gm, '')
    .replace(new RegExp(`^( *)image: (?:${pattern.source})\\s*$`, 'gm'), (_line, indent: string) => {
      count++;
      return `${indent}image: ${image}\n${indent}imagePullPolicy: ${policy}`;
    });
  if (count !== expected) throw new Error(`expected ${expected} image references matching ${pattern.source} in the CNI manifest, found ${count}`);
  return out;
}

function replaceOnce(text: string, from: string, to: string): string {
  const parts = text.split(from);
  if (parts.length !== 2) throw new Error(`expected "${from}" once in the CNI manifest, found ${parts.length - 1}`);
  return parts.join(to);
}
