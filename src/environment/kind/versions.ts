import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kindRoot } from './kind-paths.ts';

/** kind/versions.env, parsed: the pinned version of every artefact. */
export interface KindVersions {
  readonly KIND_VERSION: string;
  readonly K8S_VERSION: string;
  readonly CONTAINERD_VERSION: string;
  readonly ETCD_VERSION: string;
  readonly COREDNS_VERSION: string;
  readonly PAUSE_VERSION: string;
  readonly LOCAL_PATH_PROVISIONER_VERSION: string;
  readonly KINDNETD_IMAGE: string;
  readonly LOCAL_PATH_PROVISIONER_IMAGE: string;
  readonly LOCAL_PATH_HELPER_IMAGE: string;
  readonly TRAEFIK_VERSION: string;
  readonly METALLB_VERSION: string;
  readonly HELM_VERSION: string;
}

const keys: readonly (keyof KindVersions)[] = [
  'KIND_VERSION', 'K8S_VERSION', 'CONTAINERD_VERSION', 'ETCD_VERSION', 'COREDNS_VERSION', 'PAUSE_VERSION',
  'LOCAL_PATH_PROVISIONER_VERSION', 'KINDNETD_IMAGE', 'LOCAL_PATH_PROVISIONER_IMAGE', 'LOCAL_PATH_HELPER_IMAGE',
  'TRAEFIK_VERSION', 'METALLB_VERSION', 'HELM_VERSION',
];

export async function readVersions(): Promise<KindVersions> {
  return parseVersions(await readFile(join(kindRoot, 'versions.env'), 'utf8'));
}

export function parseVersions(text: string): KindVersions {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(\S+)\s*$/.exec(line.trim());
    if (match) values[match[1]!] = match[2]!;
  }
  for (const key of keys) if (!values[key]) throw new Error(`kind/versions.env has no ${key}`);
  return values as unknown as KindVersions;
}

/** The image references kubeadm and kind expect inside a node, by component. */
export function nodeImageRefs(v: KindVersions) {
  return {
    'kube-apiserver': `registry.k8s.io/kube-apiserver:${v.K8S_VERSION}`,
    'kube-controller-manager': `registry.k8s.io/kube-controller-manager:${v.K8S_VERSION}`,
    'kube-scheduler': `registry.k8s.io/kube-scheduler:${v.K8S_VERSION}`,
    'kube-proxy': `registry.k8s.io/kube-proxy:${v.K8S_VERSION}`,
    etcd: `registry.k8s.io/etcd:${v.ETCD_VERSION}`,
    coredns: `registry.k8s.io/coredns/coredns:${v.COREDNS_VERSION}`,
    pause: `registry.k8s.io/pause:${v.PAUSE_VERSION}`,
    kindnetd: v.KINDNETD_IMAGE,
    'local-path-provisioner': v.LOCAL_PATH_PROVISIONER_IMAGE,
    'local-path-helper': v.LOCAL_PATH_HELPER_IMAGE,
  } as const;
}

export type NodeComponent = keyof ReturnType<typeof nodeImageRefs>;
