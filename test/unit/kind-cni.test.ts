import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderKindConfig, supportedCnis } from '../../src/environment/kind/cluster-config.ts';
import { builtCnis, cniBinariesKey } from '../../src/environment/kind/cni/cni-binaries.ts';
import { adaptFlannelManifest, adaptKubeRouterManifest } from '../../src/environment/kind/cni/cni-manifests.ts';
import { parseCniVersions, readCniVersions } from '../../src/environment/kind/cni/cni-versions.ts';
import { missingOptions, parseKernelConfig } from '../../src/environment/kind/cni/kernel-facts.ts';
import { kindImagesRoot } from '../../src/environment/kind/kind-paths.ts';

const apiServer = { host: '172.30.0.2', port: 6443 };

/** The pinned module's own manifest, as installCni reads it (Go module cache or proxy). */
async function moduleFile(module: string, versionKey: string, file: string): Promise<string> {
  const version = (await readCniVersions())[versionKey]!;
  const { stdout } = await promisify(execFile)('go', ['mod', 'download', '-json', `${module}@${version}`], {
    env: { ...process.env, PATH: `${process.env.PATH}:/usr/local/go/bin` },
  });
  return readFile(join((JSON.parse(stdout) as { Dir: string }).Dir, file), 'utf8');
}

describe('CNIs', () => {
  it('disables kind\'s default CNI for every CNI but kindnet', () => {
    expect(supportedCnis).toEqual(['kindnet', 'flannel', 'kube-router']);
    expect(renderKindConfig({ name: 'x', cni: 'flannel' })).toContain('disableDefaultCNI: true');
    expect(renderKindConfig({ name: 'x', cni: 'kube-router' })).toContain('disableDefaultCNI: true');
    expect(renderKindConfig({ name: 'x', cni: 'kindnet' })).toContain('disableDefaultCNI: false');
  });

  it('keys each CNI build by its own pins: bumping one rebuilds only that one', async () => {
    const versions = await readCniVersions();
    const bumped = { ...versions, KUBE_ROUTER_VERSION: 'v2.1.1' };
    expect(await cniBinariesKey('flannel', versions, 'go1.26')).toBe(await cniBinariesKey('flannel', bumped, 'go1.26'));
    expect(await cniBinariesKey('kube-router', versions, 'go1.26')).not.toBe(await cniBinariesKey('kube-router', bumped, 'go1.26'));
    expect(await cniBinariesKey('flannel', versions, 'go1.26')).not.toBe(await cniBinariesKey('flannel', versions, 'go1.27'));
    expect(parseCniVersions('# c\nA=v1\n')).toEqual({ A: 'v1' });
  });

  it('has a Dockerfile for every CNI built here, copying each of its outputs', async () => {
    for (const [cni, spec] of Object.entries(builtCnis)) {
      const dockerfile = await readFile(join(kindImagesRoot, cni, 'Dockerfile'), 'utf8');
      for (const output of spec.outputs) expect([cni, dockerfile.includes(output)]).toEqual([cni, true]);
    }
  });

  it("adapts flannel's own manifest: the lab image never pulled, CNI spec 0.4.0, the API by the node address", async () => {
    const upstream = await moduleFile('github.com/flannel-io/flannel', 'FLANNEL_VERSION', 'Documentation/kube-flannel.yml');
    const offline = adaptFlannelManifest(upstream, { supply: 'offline', image: 'netproof/kind-flannel:abc', apiServer });
    expect(offline).not.toContain('ghcr.io');
    expect(offline.match(/image: netproof\/kind-flannel:abc\n\s+imagePullPolicy: Never/g)).toHaveLength(3);
    expect(offline).toContain('"cniVersion": "0.4.0"');
    expect(offline).toMatch(/- name: KUBERNETES_SERVICE_HOST\n\s+value: "172\.30\.0\.2"\n\s+- name: KUBERNETES_SERVICE_PORT\n\s+value: "6443"/);
    const upstreamSupply = adaptFlannelManifest(upstream, { supply: 'upstream', apiServer });
    expect(upstreamSupply).toContain('image: ghcr.io/flannel-io/flannel:');
    expect(upstreamSupply).toContain('"cniVersion": "1.0.0"');
    expect(upstreamSupply).toContain('KUBERNETES_SERVICE_HOST');
  });

  it("adapts kube-router's own manifest: router and firewall on, kube-proxy kept, the lab image never pulled", async () => {
    const upstream = await moduleFile('github.com/cloudnativelabs/kube-router/v2', 'KUBE_ROUTER_VERSION', 'daemonset/generic-kuberouter.yaml');
    const offline = adaptKubeRouterManifest(upstream, { supply: 'offline', image: 'netproof/kind-kube-router:abc', apiServer, version: 'v2.1.0' });
    expect(offline).not.toContain('cloudnativelabs/kube-router');
    expect(offline).not.toContain('imagePullPolicy: Always');
    expect(offline.match(/imagePullPolicy: Never/g)).toHaveLength(2);
    expect(offline).toContain('--run-firewall=true');
    expect(offline).toContain('--run-service-proxy=false');
    const upstreamSupply = adaptKubeRouterManifest(upstream, { supply: 'upstream', apiServer, version: 'v2.1.0' });
    expect(upstreamSupply.match(/image: docker\.io\/cloudnativelabs\/kube-router:v2\.1\.0\n\s+imagePullPolicy: IfNotPresent/g)).toHaveLength(2);
  });

  it('refuses a manifest whose shape changed instead of installing it half-adapted', () => {
    expect(() => adaptFlannelManifest('kind: ConfigMap\n', { supply: 'offline', image: 'netproof/x:1', apiServer })).toThrow(/env/);
  });
});

describe('kernel facts for CNIs', () => {
  it('names the options a CNI needs that the kernel lacks', () => {
    const config = parseKernelConfig('CONFIG_NFT_QUEUE=m\n# CONFIG_SCHEDSTATS is not set\nCONFIG_IP_SET=y\nCONFIG_NETFILTER_XT_SET=y\n');
    expect(missingOptions(config, 'upstream kindnet')).toEqual([]);
    expect(missingOptions(config, 'kube-router')).toEqual([]);
    expect(missingOptions(config, 'cilium')).toContain('CONFIG_SCHEDSTATS');
    expect(missingOptions(undefined, 'cilium')).toBeUndefined();
  });
});
