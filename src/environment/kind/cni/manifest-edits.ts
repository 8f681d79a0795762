/**
 * The edits a CNI module makes to its upstream manifest, each checked so an
 * upstream change fails loudly instead of installing a half-adapted manifest.
 */
import type { ManifestTarget } from './cni-module.ts';

/**
 * Points every container with an env list at the API server's node address
 * instead of the kubernetes Service: a hostNetwork agent starting before
 * kube-proxy's rule would otherwise send its SYN along the node's default
 * route, off the machine.
 */
export function withApiServer(manifest: string, api: ManifestTarget['apiServer']): string {
  const envLines = [...manifest.matchAll(/^( *)env:\n/gm)];
  if (envLines.length !== 1) throw new Error(`expected one env: list in the CNI manifest, found ${envLines.length}`);
  const indent = envLines[0]![1]!;
  const entry = (name: string, value: string) => `${indent}- name: ${name}\n${indent}  value: "${value}"\n`;
  return manifest.replace(/^( *)env:\n/m, (line) => line + entry('KUBERNETES_SERVICE_HOST', api.host) + entry('KUBERNETES_SERVICE_PORT', String(api.port)));
}

/** Replaces each image reference and sets its pull policy: Never for lab images, IfNotPresent for upstream tags. */
export function replaceImages(manifest: string, pattern: RegExp, image: string, expected: number): string {
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

export function replaceOnce(text: string, from: string, to: string): string {
  const parts = text.split(from);
  if (parts.length !== 2) throw new Error(`expected "${from}" once in the CNI manifest, found ${parts.length - 1}`);
  return parts.join(to);
}
