import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { release } from 'node:os';

/**
 * Kernel options that decide whether a CNI can do its job on this host (kind
 * nodes share the host's kernel). Read from /proc/config.gz or /boot/config-<release>.
 */
export const cniKernelOptions = {
  // Upstream kindnet (kind >= v0.24) enforces NetworkPolicy through kube-network-policies' nftables `queue`.
  'upstream kindnet': ['CONFIG_NFT_QUEUE'],
  // Cilium's documented base requirements (docs.cilium.io, System Requirements).
  cilium: ['CONFIG_BPF', 'CONFIG_BPF_SYSCALL', 'CONFIG_NET_CLS_BPF', 'CONFIG_BPF_JIT', 'CONFIG_NET_CLS_ACT', 'CONFIG_NET_SCH_INGRESS', 'CONFIG_CRYPTO_SHA1', 'CONFIG_CRYPTO_USER_API_HASH', 'CONFIG_CGROUPS', 'CONFIG_CGROUP_BPF', 'CONFIG_PERF_EVENTS', 'CONFIG_SCHEDSTATS'],
  // kube-router's firewall: iptables with ipset.
  'kube-router': ['CONFIG_IP_SET', 'CONFIG_NETFILTER_XT_SET'],
  // flannel's VXLAN backend; the bridge plugin's traffic through iptables.
  flannel: ['CONFIG_VXLAN', 'CONFIG_BRIDGE_NETFILTER'],
} as const;

/** The kernel's config as option → value (`y`, `m`, a string); undefined when no config can be read. */
export async function readKernelConfig(): Promise<ReadonlyMap<string, string> | undefined> {
  const text = await readFile('/proc/config.gz')
    .then((gz) => gunzipSync(gz).toString())
    .catch(() => readFile(`/boot/config-${release()}`, 'utf8'))
    .catch(() => undefined);
  return text === undefined ? undefined : parseKernelConfig(text);
}

export function parseKernelConfig(text: string): ReadonlyMap<string, string> {
  const options = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^(CONFIG_\w+)=(.*)$/.exec(line.trim());
    if (match) options.set(match[1]!, match[2]!);
  }
  return options;
}

/** The options a CNI needs that this kernel lacks (neither built in nor a module); undefined when the config is unreadable. */
export function missingOptions(config: ReadonlyMap<string, string> | undefined, cni: keyof typeof cniKernelOptions): string[] | undefined {
  if (!config) return undefined;
  return cniKernelOptions[cni].filter((option) => !['y', 'm'].includes(config.get(option) ?? ''));
}

/** One line for a fingerprint: what the kernel lacks for a CNI, or that it has it all. */
export async function kernelFactFor(cni: keyof typeof cniKernelOptions): Promise<string> {
  const missing = missingOptions(await readKernelConfig(), cni);
  if (missing === undefined) return `kernel ${release()}: config unreadable (no /proc/config.gz or /boot/config-${release()})`;
  return missing.length === 0 ? `kernel ${release()} has ${cniKernelOptions[cni].join(', ')}` : `kernel ${release()} lacks ${missing.join(', ')}`;
}
