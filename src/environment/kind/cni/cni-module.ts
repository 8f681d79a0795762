/**
 * What makes one CNI, in one place (kind's providers are the model: one small
 * interface, one file per implementation, a registry listing them). Everything
 * that differs per CNI is a field here; the code that builds, installs, checks
 * and describes a cluster's CNI is generic and reads only these fields.
 */

/**
 * Every cluster's pod CIDR: article 002's range as it writes it ("multi-hosts
 * have different subnet ranges ⇒ 10.224.0.0/16", §5.1), not kind's default
 * 10.244.0.0/16, so that K22 reads the article's own topology.
 */
export const articlePodSubnet = '10.224.0.0/16';

/** Where a built CNI's images come from (NETPROOF_CNI_SUPPLY): built here from Go modules, or the pinned upstream tags. */
export type CniSupply = 'offline' | 'upstream';

/** What a manifest edit needs to know of the cluster and of the build. */
export interface ManifestTarget {
  readonly supply: CniSupply;
  /** Offline: the image built here (netproof/kind-<cni>:<key>). */
  readonly image?: string;
  /** The CNI's pinned version (from its recipe's versions.env). */
  readonly version: string;
  /** host:port of the API server on the node network. */
  readonly apiServer: { readonly host: string; readonly port: number };
}

/** The node image kind runs (kind's default CNI comes inside it). */
export interface NodeImageFacts {
  readonly image: string;
  readonly source: 'local' | 'upstream';
}

/**
 * A CNI kind ships in its node image (kindnet, or the lab's stand-in in the
 * node image built here): nothing to build; the lab applies the node image's
 * own manifest as kind would (install-cni.ts), once the nodes were read
 * without a CNI.
 */
export interface BundledCni {
  readonly kind: 'bundled';
  /** The node image that carries it: the one built here, or an upstream one (NETPROOF_KIND_NODE_IMAGE); the other is refused before a cluster is made. */
  readonly nodeImage: NodeImageFacts['source'];
  /** Which build runs, and the kernel options worth reporting (not required) for it. */
  describe(node: NodeImageFacts): { readonly build: string; readonly reportKernelOptions?: readonly string[] };
}

/**
 * A CNI installed from its own manifest: built offline from Go modules by its
 * recipe, kind/cni/<name>/ (build.sh, versions.env, Dockerfile), or taken as
 * the pinned upstream images.
 */
export interface ManifestCni {
  readonly kind: 'manifest';
  /** The recipe's versions.env lines its build uses (its cache key), the first being the CNI's own version. */
  readonly versions: readonly [string, ...string[]];
  /** The files build.sh leaves in its output directory, each copied into the image by the Dockerfile. */
  readonly outputs: readonly string[];
  /**
   * The Go module whose source holds the manifest (at the first version above):
   * a file in it, or a Helm chart in it that the lab renders with its values.
   */
  readonly manifest: ModuleFile | ModuleChart;
  /** The recipe folder under kind/cni/ when it is another module's (one build, two configurations); default the CNI's name. */
  readonly recipe?: string;
  /** The lab's edits to the upstream manifest, each checked so that an upstream change fails loudly. */
  adapt(manifest: string, target: ManifestTarget): string;
}

/** A manifest file of the pinned module, as it is. */
export interface ModuleFile {
  readonly module: string;
  readonly file: string;
}

/** A Helm chart of the pinned module, rendered by `helm template` (built here) with the lab's values; never a chart repository. */
export interface ModuleChart {
  readonly module: string;
  /** The chart's directory in the module. */
  readonly chart: string;
  /** The release's namespace. */
  readonly namespace: string;
  /** `--set` values, each a documented value of the chart. */
  values(target: ManifestTarget): Readonly<Record<string, string | number | boolean>>;
  /** Directories of the module whose CRD files are applied first (what a component the lab cannot build would register). */
  readonly crds?: readonly string[];
}

export interface CniModule<Name extends string = string> {
  /** What `--cni`, NETPROOF_CNI, results and cluster names call it. */
  readonly name: Name;
  /** One line for `--help` and the docs. */
  readonly summary: string;
  /** Whether it is kind's default CNI (kindnet, and the lab's stand-in for it): its manifest is in the node image, applied by the lab after the nodes are up (kind's own install is disabled for every CNI). */
  readonly kindDefault: boolean;
  /** The cluster's pod CIDR (kubeadm's podSubnet; the CNI's IPAM hands out each node's slice of it). */
  readonly podSubnet: string;
  /** Whether it replaces kube-proxy: the cluster is made without kube-proxy (kubeProxyMode none). */
  readonly replacesKubeProxy?: boolean;
  readonly source: BundledCni | ManifestCni;
  /**
   * Kernel options the CNI cannot work without (kind nodes share the host's
   * kernel): a host lacking one fails before any cluster is made (exit 3).
   */
  readonly kernel: {
    readonly requires: readonly string[];
    readonly because: string;
    /** Options its documentation lists that it was seen running without here: reported in the fingerprint, not required. */
    readonly documented?: readonly string[];
  };
  /** Ready when this DaemonSet has rolled out on every node (and every node routes every other node's pod CIDR). */
  readonly daemonSet: { readonly namespace: string; readonly name: string };
  /** The fingerprint's `cni` line: the name, then what it is. */
  readonly fingerprint: string;
  /** Whether it enforces NetworkPolicy (its documentation's word; the lab's K18 observes it). */
  readonly enforcesNetworkPolicy: boolean;
  /**
   * Where its NetworkPolicy drops are made: in netfilter (iptables or nftables
   * rules, which the kernel's trace names), in eBPF (out of the trace's sight),
   * or nowhere. Decides whether the lab traces a blocked probe on the nodes.
   */
  readonly policyFilter: 'iptables' | 'nftables' | 'ebpf' | 'none';
  /** How it carries pod traffic, for the claims' explanations (each a clause that names the CNI). */
  readonly datapath: {
    /** How a packet reaches a pod on another node. */
    readonly crossNode: string;
    /** What it does to a pod's packet leaving the pod CIDR. */
    readonly masquerade: string;
    /** How a pod's interface is attached on its node (a bridge or not, which one). */
    readonly podAttachment: string;
  };
}

/** Declares a CNI module, keeping its name's literal type (the registry derives the `Cni` type from it) and its kind of source. */
export const defineCni = <const Name extends string, Source extends BundledCni | ManifestCni>(module: CniModule<Name> & { readonly source: Source }): CniModule<Name> & { readonly source: Source } => module;
