import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EnvironmentError } from '../../errors.ts';
import { hostExec } from '../../exec/host-exec.ts';
import type { Logger } from '../../log.ts';
import { ensureCachedBuild, type BuiltArtefact } from '../../build/cached-build.ts';
import { repoRoot } from './kind-paths.ts';

export { tail, type BuiltArtefact } from '../../build/cached-build.ts';
import type { KindVersions } from './versions.ts';

/** What one Go artefact is built from and what it yields (kind/build/go-artefact.sh builds it). */
interface GoArtefactSpec {
  /** versions.env entries it is built at. */
  readonly versions: readonly (keyof KindVersions)[];
  /** Recipe files (relative to the repository) whose content pins it. */
  readonly files: readonly string[];
  readonly outputs: readonly string[];
  /** Its own build script (same usage: NAME OUT_DIR), else kind/build/go-artefact.sh; only its script is in its key. */
  readonly script?: string;
}

export const goArtefacts = {
  kind: { versions: ['KIND_VERSION'], files: [], outputs: ['kind'] },
  kubernetes: {
    versions: ['K8S_VERSION'],
    files: ['kind/k8s/go.mod', 'kind/k8s/go.sum'],
    outputs: ['kubeadm', 'kubelet', 'kubectl', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy', 'pause.c'],
  },
  containerd: { versions: ['CONTAINERD_VERSION'], files: ['kind/build/go-env.sh'], outputs: ['containerd', 'ctr', 'containerd-shim-runc-v2'] },
  etcd: { versions: ['ETCD_VERSION'], files: ['kind/mods/etcd/go.mod', 'kind/mods/etcd/go.sum'], outputs: ['etcd'] },
  coredns: { versions: ['COREDNS_VERSION'], files: ['kind/mods/coredns/go.mod', 'kind/mods/coredns/go.sum', 'kind/mods/coredns/main.go'], outputs: ['coredns'] },
  'local-path-provisioner': { versions: ['LOCAL_PATH_PROVISIONER_VERSION'], files: [], outputs: ['local-path-provisioner'] },
  kindnetd: { versions: [], files: ['kind/kindnetd/go.mod', 'kind/kindnetd/go.sum', 'kind/kindnetd/main.go'], outputs: ['kindnetd'] },
  'oci-capdrop': { versions: [], files: ['tools/oci-capdrop/go.mod', 'tools/oci-capdrop/main.go'], outputs: ['oci-capdrop'] },
} as const satisfies Record<string, GoArtefactSpec>;

export type GoArtefact = keyof typeof goArtefacts;

/** Artefacts a scenario's workload builds the first time it needs one: not part of the cluster's toolchain. */
export const addOnArtefacts = {
  traefik: { versions: ['TRAEFIK_VERSION'], files: ['kind/build/go-env.sh'], outputs: ['traefik'], script: 'kind/build/traefik.sh' },
  // Renders a CNI's chart from its module (cilium).
  helm: { versions: ['HELM_VERSION'], files: [], outputs: ['helm'] },
  metallb: { versions: ['METALLB_VERSION'], files: ['kind/build/go-env.sh'], outputs: ['controller', 'speaker', 'metallb-native.yaml'], script: 'kind/build/metallb.sh' },
} as const satisfies Record<string, GoArtefactSpec>;

export type AddOnArtefact = keyof typeof addOnArtefacts;

const specOf = (name: GoArtefact | AddOnArtefact): GoArtefactSpec => (name in addOnArtefacts ? addOnArtefacts[name as AddOnArtefact] : goArtefacts[name as GoArtefact]);

const buildScript = (spec: GoArtefactSpec) => spec.script ?? 'kind/build/go-artefact.sh';

/** The artefact's key: its pinned versions, recipe files, the build script and the Go toolchain. */
export async function goArtefactKey(name: GoArtefact | AddOnArtefact, versions: KindVersions, goVersion: string): Promise<string> {
  const spec = specOf(name);
  const hash = createHash('sha256').update(name).update('\0').update(goVersion).update('\0');
  for (const key of spec.versions) hash.update(`${key}=${versions[key]}\0`);
  for (const file of [...spec.files, buildScript(spec)]) {
    hash.update(file).update('\0').update(await readFile(join(repoRoot, file))).update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

/** Builds the artefact unless the cache has it for the same key; returns where its outputs are. */
export async function ensureGoArtefact(name: GoArtefact | AddOnArtefact, versions: KindVersions, logger: Logger): Promise<BuiltArtefact> {
  const script = buildScript(specOf(name));
  return ensureCachedBuild(
    {
      name,
      area: 'kind/bin',
      stem: name,
      key: await goArtefactKey(name, versions, await findGo()),
      command: ['bash', join(repoRoot, script), name],
      outputs: specOf(name).outputs,
      recipe: script,
      hint: 'check that the Go module proxy answers (go env GOPROXY) and that Go >= 1.25 is installed, then run again',
      timeoutMs: 90 * 60_000,
    },
    logger,
  );
}

let goVersionPromise: Promise<string> | undefined;
/** `go version` of the toolchain the builds use (also part of every key). */
export function findGo(): Promise<string> {
  goVersionPromise ??= (async () => {
    for (const go of ['go', '/usr/local/go/bin/go']) {
      const result = await hostExec([go, 'env', 'GOVERSION']).catch(() => undefined);
      if (result?.exitCode === 0) return result.stdout.trim();
    }
    throw new EnvironmentError('Go is not installed', 'install Go >= 1.25 (e.g. into /usr/local/go) to build the kind cluster artefacts');
  })();
  return goVersionPromise;
}
