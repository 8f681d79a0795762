import { execFile } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { resolveEnvironmentChoice } from '../../src/cli/environment-choice.ts';
import { cniNodeLabel, renderKindConfig } from '../../src/environment/kind/cluster-config.ts';
import type { ManifestTarget } from '../../src/environment/kind/cni/cni-module.ts';
import { cniBinariesKey, parseCniVersions, readCniVersions, recipeDir, type ManifestCniModule } from '../../src/environment/kind/cni/cni-recipe.ts';
import { cilium, ciliumKpr } from '../../src/environment/kind/cni/cilium.ts';
import { flannel } from '../../src/environment/kind/cni/flannel.ts';
import { missingOptions, parseKernelConfig, requireKernelFor } from '../../src/environment/kind/cni/kernel-facts.ts';
import { requireNodeImageFor } from '../../src/environment/kind/cni/host-check.ts';
import { kubeRouter } from '../../src/environment/kind/cni/kube-router.ts';
import { cniModule, cniModules, cniNames, defaultCni, isCni } from '../../src/environment/kind/cni/registry.ts';
import { EnvironmentError, UsageError } from '../../src/errors.ts';
import { cniOfNodes, sharedClusterName } from '../../src/environment/kind/kind-lab.ts';
import { byCni, explain } from '../../src/verdict/explain.ts';

const apiServer = { host: '172.30.0.2', port: 6443 };
const manifestCnis = cniModules.filter((m): m is typeof m & ManifestCniModule => m.source.kind === 'manifest');

/** The pinned module's own manifest, as installCni reads it (Go module cache or proxy). */
async function upstreamManifest(cni: ManifestCniModule): Promise<string> {
  const version = (await readCniVersions(cni))[cni.source.versions[0]]!;
  const { manifest } = cni.source;
  if (!('file' in manifest)) throw new Error(`${cni.name}'s manifest is a chart: rendered by installCni`);
  const { stdout } = await promisify(execFile)('go', ['mod', 'download', '-json', `${manifest.module}@${version}`], {
    env: { ...process.env, PATH: `${process.env.PATH}:/usr/local/go/bin` },
  });
  return readFile(join((JSON.parse(stdout) as { Dir: string }).Dir, manifest.file), 'utf8');
}
const adapt = (cni: ManifestCniModule, manifest: string, target: Omit<ManifestTarget, 'apiServer'>) => cni.source.adapt(manifest, { ...target, apiServer });

describe('the CNI registry', () => {
  it("lists one module per CNI, the lab's kindnetd first (the default), and derives the names from them", () => {
    expect(cniNames).toEqual(['kindnetd-lab', 'kindnet', 'flannel', 'kube-router', 'cilium', 'cilium-kpr']);
    expect(defaultCni).toBe('kindnetd-lab');
    expect(cniNames.every(isCni)).toBe(true);
    expect(isCni('calico')).toBe(false);
    for (const name of cniNames) expect(cniModule(name).name).toBe(name);
  });

  it("disables kind's own CNI install for every module (kind's default is applied by the lab after the nodes were seen without a CNI), the article's pod range for every one, and names the CNI on every node", () => {
    for (const cni of cniModules) {
      const config = renderKindConfig({ name: 'x', cni: cni.name, workers: 2 });
      expect([cni.name, config.includes('disableDefaultCNI: true')]).toEqual([cni.name, true]);
      expect(config).toContain('podSubnet: 10.224.0.0/16');
      expect(config.match(new RegExp(`labels:\\n {4}${cniNodeLabel.replace('.', '\\.')}: ${cni.name}\\n`, 'g'))).toHaveLength(3);
    }
    expect(cniModules.filter((cni) => cni.kindDefault).map((cni) => cni.name)).toEqual(['kindnetd-lab', 'kindnet']);
  });

  it('makes a cluster without kube-proxy only for a CNI that replaces it (cilium-kpr)', () => {
    const withoutKubeProxy = cniModules.filter((cni) => renderKindConfig({ name: 'x', cni: cni.name }).includes('kubeProxyMode: none')).map((cni) => cni.name);
    expect(withoutKubeProxy).toEqual(['cilium-kpr']);
  });

  it("renders cilium's chart with nothing that reaches out or is not built here, and the same build for both cilium columns", () => {
    const values = (cni: ManifestCniModule, supply: 'offline' | 'upstream') => {
      const { manifest } = cni.source;
      if ('file' in manifest) throw new Error('cilium is installed from its chart');
      return manifest.values({ supply, version: 'v1.20.2', apiServer, ...(supply === 'offline' ? { image: 'netproof/kind-cilium:abc' } : {}) });
    };
    for (const cni of [cilium, ciliumKpr]) {
      const offline = values(cni, 'offline');
      expect(offline).toMatchObject({ 'image.override': 'netproof/kind-cilium:abc', 'image.pullPolicy': 'Never', 'operator.enabled': false, 'hubble.enabled': false, 'envoy.enabled': false, k8sServiceHost: apiServer.host });
      expect(values(cni, 'upstream')).not.toHaveProperty('image.override');
      expect(recipeDir(cni)).toMatch(/kind\/cni\/cilium$/);
    }
    expect([values(cilium, 'offline').kubeProxyReplacement, values(ciliumKpr, 'offline').kubeProxyReplacement]).toEqual([false, true]);
  });

  it('has a recipe folder for every CNI it installs from a manifest: a build script, its pins, a Dockerfile copying each output', async () => {
    expect(manifestCnis.map((cni) => cni.name)).toEqual(['flannel', 'kube-router', 'cilium', 'cilium-kpr']);
    for (const cni of manifestCnis) {
      await access(join(recipeDir(cni), 'build.sh'));
      const versions = await readCniVersions(cni);
      for (const key of cni.source.versions) expect([cni.name, key, versions[key]]).toEqual([cni.name, key, expect.stringMatching(/^v\d/)]);
      const dockerfile = await readFile(join(recipeDir(cni), 'Dockerfile'), 'utf8');
      for (const output of cni.source.outputs) expect([cni.name, output, dockerfile.includes(output)]).toEqual([cni.name, output, true]);
    }
  });

  it('keys each CNI build by its own pins and script: bumping one rebuilds only that one', async () => {
    const [f, k] = [await readCniVersions(flannel), await readCniVersions(kubeRouter)];
    expect(await cniBinariesKey(flannel, { ...f, KUBE_ROUTER_VERSION: 'v9' }, 'go1.26')).toBe(await cniBinariesKey(flannel, f, 'go1.26'));
    expect(await cniBinariesKey(kubeRouter, { ...k, KUBE_ROUTER_VERSION: 'v2.1.1' }, 'go1.26')).not.toBe(await cniBinariesKey(kubeRouter, k, 'go1.26'));
    expect(await cniBinariesKey(flannel, f, 'go1.26')).not.toBe(await cniBinariesKey(flannel, f, 'go1.27'));
    await expect(cniBinariesKey(flannel, {}, 'go1.26')).rejects.toThrow('kind/cni/flannel/versions.env has no FLANNEL_VERSION');
    expect(parseCniVersions('# c\nA=v1\n')).toEqual({ A: 'v1' });
  });
});

describe('CNI manifests', () => {
  it("adapts flannel's own manifest: the lab image never pulled, CNI spec 0.4.0, the API by the node address, the article's pod range", async () => {
    const upstream = await upstreamManifest(flannel);
    const offline = adapt(flannel, upstream, { supply: 'offline', image: 'netproof/kind-flannel:abc', version: 'v0.28.10' });
    expect(offline).not.toContain('ghcr.io');
    expect(offline.match(/image: netproof\/kind-flannel:abc\n\s+imagePullPolicy: Never/g)).toHaveLength(3);
    expect(offline).toContain('"cniVersion": "0.4.0"');
    expect(offline).toMatch(/- name: KUBERNETES_SERVICE_HOST\n\s+value: "172\.30\.0\.2"\n\s+- name: KUBERNETES_SERVICE_PORT\n\s+value: "6443"/);
    const upstreamSupply = adapt(flannel, upstream, { supply: 'upstream', version: 'v0.28.10' });
    expect(upstreamSupply).toContain('image: ghcr.io/flannel-io/flannel:');
    expect(upstreamSupply).toContain('"cniVersion": "1.0.0"');
    expect(upstreamSupply).toContain('KUBERNETES_SERVICE_HOST');
    for (const adapted of [offline, upstreamSupply]) expect([adapted.includes('"Network": "10.224.0.0/16"'), adapted.includes('10.244.')]).toEqual([true, false]);
  });

  it("adapts kube-router's own manifest: router and firewall on, kube-proxy kept, the lab image never pulled", async () => {
    const upstream = await upstreamManifest(kubeRouter);
    const offline = adapt(kubeRouter, upstream, { supply: 'offline', image: 'netproof/kind-kube-router:abc', version: 'v2.1.0' });
    expect(offline).not.toContain('cloudnativelabs/kube-router');
    expect(offline).not.toContain('imagePullPolicy: Always');
    expect(offline.match(/imagePullPolicy: Never/g)).toHaveLength(2);
    expect(offline).toContain('--run-firewall=true');
    expect(offline).toContain('--run-service-proxy=false');
    const upstreamSupply = adapt(kubeRouter, upstream, { supply: 'upstream', version: 'v2.1.0' });
    expect(upstreamSupply.match(/image: docker\.io\/cloudnativelabs\/kube-router:v2\.1\.0\n\s+imagePullPolicy: IfNotPresent/g)).toHaveLength(2);
  });

  it('refuses a manifest whose shape changed instead of installing it half-adapted', () => {
    expect(() => adapt(flannel, 'kind: ConfigMap\n', { supply: 'offline', image: 'netproof/x:1', version: 'v1' })).toThrow(/env/);
  });
});

describe("a CNI's needs from the host kernel", () => {
  const config = parseKernelConfig('CONFIG_NFT_QUEUE=m\n# CONFIG_VXLAN is not set\nCONFIG_BRIDGE_NETFILTER=y\nCONFIG_IP_SET=y\nCONFIG_NETFILTER_XT_SET=y\n');

  it('names the options a kernel lacks, neither built in nor a module', () => {
    expect(missingOptions(config, ['CONFIG_NFT_QUEUE', 'CONFIG_IP_SET'])).toEqual([]);
    expect(missingOptions(config, flannel.kernel.requires)).toEqual(['CONFIG_VXLAN']);
    expect(missingOptions(undefined, flannel.kernel.requires)).toBeUndefined();
  });

  it('refuses a CNI the kernel cannot run (an EnvironmentError: exit 3, with the reason), and lets the others be tried', () => {
    const refusal = (() => {
      try {
        requireKernelFor(flannel, config);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(EnvironmentError);
    expect((refusal as Error).message).toMatch(/^flannel cannot run on this host: kernel \S+ lacks CONFIG_VXLAN \(flannel's VXLAN backend/);
    expect(() => requireKernelFor(kubeRouter, config)).not.toThrow();
    expect(() => requireKernelFor(cniModule('kindnetd-lab'), parseKernelConfig(''))).not.toThrow();
    // An unreadable config proves nothing: the CNI is tried, its fingerprint says the config was unreadable.
    expect(() => requireKernelFor(flannel, undefined)).not.toThrow();
  });
});

describe('upstream kindnet and the lab\'s stand-in', () => {
  it('refuses upstream kindnet unless an upstream node image was named, and the stand-in with one, saying what to choose instead', () => {
    expect(() => requireNodeImageFor(cniModule('kindnet'), 'local')).toThrow(EnvironmentError);
    expect(() => requireNodeImageFor(cniModule('kindnet'), 'local')).toThrow(/^kindnet comes only in kind's own node image \(kindest\/node\), and NETPROOF_KIND_NODE_IMAGE names none/);
    const refusal = (() => { try { requireNodeImageFor(cniModule('kindnet'), 'local'); } catch (error) { return error as EnvironmentError; } })();
    expect(refusal?.hint).toContain('--cni kindnetd-lab');
    expect(() => requireNodeImageFor(cniModule('kindnetd-lab'), 'upstream', 'kindest/node:v1.36.1')).toThrow(/^kindnetd-lab comes only in the node image built here, and NETPROOF_KIND_NODE_IMAGE=kindest\/node:v1\.36\.1 is an upstream node image, which carries kindnet$/);
    expect(() => requireNodeImageFor(cniModule('kindnet'), 'upstream', 'kindest/node:v1.36.1')).not.toThrow();
    expect(() => requireNodeImageFor(cniModule('kindnetd-lab'), 'local')).not.toThrow();
    // A CNI from its own manifest runs on either node image.
    for (const image of ['local', 'upstream'] as const) expect(() => requireNodeImageFor(flannel, image, 'kindest/node:x')).not.toThrow();
  });

  it("names each for what it is where a user reads it: --help, the fingerprint, what enforces policy", () => {
    expect(cniModule('kindnetd-lab').summary).toMatch(/^kindnetd-lab: the lab's stand-in for kindnet .*no NetworkPolicy/);
    expect(cniModule('kindnetd-lab').fingerprint).toMatch(/^kindnetd-lab \(the lab's stand-in/);
    expect(cniModule('kindnet').fingerprint).toContain('fails open on a kernel without CONFIG_NFT_QUEUE');
    expect([cniModule('kindnetd-lab').enforcesNetworkPolicy, cniModule('kindnet').enforcesNetworkPolicy]).toEqual([false, true]);
  });
});

describe('choosing the CNI', () => {
  it('takes --cni, else NETPROOF_CNI, else kindnetd-lab', () => {
    expect(resolveEnvironmentChoice({}, {})).toEqual({ cni: 'kindnetd-lab', cniFrom: 'default' });
    // With an upstream node image, kind's default is the one that image carries.
    expect(resolveEnvironmentChoice({}, { NETPROOF_KIND_NODE_IMAGE: 'kindest/node:v1.36.1' })).toEqual({ cni: 'kindnet', cniFrom: 'default' });
    expect(resolveEnvironmentChoice({}, { NETPROOF_CNI: 'flannel' })).toEqual({ cni: 'flannel', cniFrom: 'variable' });
    expect(resolveEnvironmentChoice({ cni: 'kube-router' }, { NETPROOF_CNI: 'flannel' })).toEqual({ cni: 'kube-router', cniFrom: 'flag' });
  });

  it('an unknown name is a usage error that blames where it was given and lists the known CNIs', () => {
    expect(() => resolveEnvironmentChoice({ cni: 'nope' }, {})).toThrow(new UsageError('--cni nope: unknown CNI; known CNIs: kindnetd-lab, kindnet, flannel, kube-router, cilium, cilium-kpr'));
    expect(() => resolveEnvironmentChoice({}, { NETPROOF_CNI: 'calico' })).toThrow(new UsageError('NETPROOF_CNI=calico (environment variable): unknown CNI; known CNIs: kindnetd-lab, kindnet, flannel, kube-router, cilium, cilium-kpr'));
  });
});

describe('a cluster is never reused across CNIs', () => {
  const node = (cni?: string) => ({ metadata: { labels: cni ? { [cniNodeLabel]: cni } : ({} as Record<string, string>) } });

  it("names the lab's shared cluster after its CNI (and its size)", () => {
    expect(cniNames.map((cni) => sharedClusterName({ cni, workers: 2 }))).toEqual(['netproof-kindnetd-lab', 'netproof-kindnet', 'netproof-flannel', 'netproof-kube-router', 'netproof-cilium', 'netproof-cilium-kpr']);
    expect(sharedClusterName({ cni: 'flannel', workers: 3 })).toBe('netproof-flannel-3w');
  });

  it("reads the CNI from the nodes' label, and refuses a cluster whose nodes do not name one known CNI", () => {
    expect(cniOfNodes([node('flannel'), node('flannel'), node('flannel')])).toBe('flannel');
    expect(() => cniOfNodes([node('flannel'), node('kindnet')])).toThrow(EnvironmentError);
    expect(() => cniOfNodes([node(), node()])).toThrow(/do not name one known CNI in their netproof\.cni label \(\(none\)\)/);
    expect(() => cniOfNodes([node('calico')])).toThrow(EnvironmentError);
    expect(() => cniOfNodes([])).toThrow(EnvironmentError);
  });
});

describe('explanations that depend on the CNI', () => {
  const why = { success: byCni((cni) => `the packet crossed: ${cni.datapath.crossNode}`) };

  it('name the CNI that ran, from the facts of the attempt', () => {
    expect(explain({ kind: 'success' }, why, { cni: flannel })).toBe(`the packet crossed: ${flannel.datapath.crossNode}`);
    expect(explain({ kind: 'success' }, why, { cni: kubeRouter })).toMatch(/^the packet crossed: kube-router /);
    for (const cni of cniModules) for (const clause of Object.values(cni.datapath)) expect([cni.name, clause.startsWith(`${cni.name}`)]).toEqual([cni.name, true]);
  });

  it('fail loudly where no CNI ran (a Docker scenario) rather than guess one', () => {
    expect(() => explain({ kind: 'success' }, why, {})).toThrow(/Kubernetes scenario/);
  });
});
