/**
 * Every CNI the lab can build a cluster with, with zero pulls (upstream kindnet
 * only from an upstream node image). The `Cni` type,
 * the validation of `--cni` / NETPROOF_CNI / scenario files and the usage text
 * all derive from this list: adding a CNI is its module here, its recipe
 * folder kind/cni/<name>/ and its tests (docs/adding-a-cni.md).
 */
import { cilium, ciliumKpr } from './cilium.ts';
import type { CniModule } from './cni-module.ts';
import { flannel } from './flannel.ts';
import { kindnet } from './kindnet.ts';
import { kindnetdLab } from './kindnetd-lab.ts';
import { kubeRouter } from './kube-router.ts';

export const cniModules = [kindnetdLab, kindnet, flannel, kubeRouter, cilium, ciliumKpr] as const;

export type Cni = (typeof cniModules)[number]['name'];

/** The names, in the registry's order (the default first). */
export const cniNames: readonly Cni[] = cniModules.map((m) => m.name);

/** The CNIs a cluster can run on the node image built here (all but upstream kindnet): the columns of offline supply. */
export const offlineCniNames: readonly Cni[] = cniModules.filter((m) => m.source.kind !== 'bundled' || m.source.nodeImage === 'local').map((m) => m.name);

/** The CNI a cluster runs when nobody chose one: kind's default as the node image built here carries it. */
export const defaultCni: Cni = kindnetdLab.name;

/** kind's default of the node image this run uses: upstream kindnet in an upstream node image (NETPROOF_KIND_NODE_IMAGE), else the lab's stand-in. */
export const defaultCniFor = (env: NodeJS.ProcessEnv = process.env): Cni => (env.NETPROOF_KIND_NODE_IMAGE ? kindnet.name : defaultCni);

export const isCni = (name: string): name is Cni => (cniNames as readonly string[]).includes(name);

export function cniModule(name: Cni): CniModule<Cni> {
  return cniModules.find((m) => m.name === name)!;
}

/** One line per CNI, for usage texts. */
export const cniHelp = (indent: string): string => cniModules.map((m) => `${indent}${m.name.padEnd(13)} ${m.summary}`).join('\n');
