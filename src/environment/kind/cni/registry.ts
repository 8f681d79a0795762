/**
 * Every CNI the lab can build a cluster with, with zero pulls. The `Cni` type,
 * the validation of `--cni` / NETPROOF_CNI / scenario files and the usage text
 * all derive from this list: adding a CNI is its module here, its recipe
 * folder kind/cni/<name>/ and its tests (docs/adding-a-cni.md).
 */
import { cilium, ciliumKpr } from './cilium.ts';
import type { CniModule } from './cni-module.ts';
import { flannel } from './flannel.ts';
import { kindnet } from './kindnet.ts';
import { kubeRouter } from './kube-router.ts';

export const cniModules = [kindnet, flannel, kubeRouter, cilium, ciliumKpr] as const;

export type Cni = (typeof cniModules)[number]['name'];

/** The names, in the registry's order (kindnet first: the default). */
export const cniNames: readonly Cni[] = cniModules.map((m) => m.name);

/** The CNI a cluster runs when nobody chose one. */
export const defaultCni: Cni = kindnet.name;

export const isCni = (name: string): name is Cni => (cniNames as readonly string[]).includes(name);

export function cniModule(name: Cni): CniModule<Cni> {
  return cniModules.find((m) => m.name === name)!;
}

/** One line per CNI, for usage texts. */
export const cniHelp = (indent: string): string => cniModules.map((m) => `${indent}${m.name.padEnd(12)} ${m.summary}`).join('\n');
