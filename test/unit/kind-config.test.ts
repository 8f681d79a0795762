import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderKindConfig } from '../../src/environment/kind/cluster-config.ts';
import { addOnArtefacts, goArtefactKey, goArtefacts, type GoArtefact } from '../../src/environment/kind/go-artefacts.ts';
import { kindRoot } from '../../src/environment/kind/kind-paths.ts';
import { nodeImageRefs, parseVersions, readVersions } from '../../src/environment/kind/versions.ts';

describe('kind recipes', () => {
  it('renders one control plane, N workers, and skips kubeadm CoreDNS (the lab installs its own)', () => {
    const config = renderKindConfig({ name: 'np-x', workers: 3 });
    expect(config.match(/- role: worker/g)).toHaveLength(3);
    expect(config.match(/- role: control-plane/g)).toHaveLength(1);
    expect(config).toContain('name: np-x');
    expect(config).toMatch(/kind: InitConfiguration\n {2}skipPhases:\n {2}- preflight\n {2}- addon\/coredns/);
    expect(config).toContain('disableDefaultCNI: true');
    expect(config).not.toContain('kubeProxyMode');
    expect(config).not.toContain('addon/kube-proxy');
  });

  it('makes a cluster for a CNI that replaces kube-proxy without kube-proxy: the skip list keeps kind\'s addon/kube-proxy', () => {
    const config = renderKindConfig({ name: 'np-x', cni: 'cilium-kpr' });
    expect(config).toContain('kubeProxyMode: none');
    // kubeadm's patch replaces kind's skipPhases list: without the repeat, kube-proxy would be installed after all.
    expect(config).toMatch(/kind: InitConfiguration\n {2}skipPhases:\n {2}- preflight\n {2}- addon\/coredns\n {2}- addon\/kube-proxy/);
  });

  it('pins every artefact in kind/versions.env and derives the references kubeadm expects', async () => {
    const versions = await readVersions();
    const refs = nodeImageRefs(versions);
    expect(refs['kube-apiserver']).toBe(`registry.k8s.io/kube-apiserver:${versions.K8S_VERSION}`);
    expect(refs.pause).toBe(`registry.k8s.io/pause:${versions.PAUSE_VERSION}`);
    expect(() => parseVersions('KIND_VERSION=v1\n')).toThrow(/no K8S_VERSION/);
  });

  it('keeps the wrapper modules in step with versions.env', async () => {
    const versions = await readVersions();
    const k8s = await readFile(join(kindRoot, 'k8s', 'go.mod'), 'utf8');
    expect(k8s).toMatch(new RegExp(`k8s\\.io/kubernetes ${versions.K8S_VERSION.replaceAll('.', '\\.')}\\b`));
    const staging = `v0.${versions.K8S_VERSION.slice('v1.'.length)}`;
    for (const line of k8s.split('\n').filter((l) => l.includes(' => '))) expect(line.trim().endsWith(staging)).toBe(true);
    const etcd = await readFile(join(kindRoot, 'mods', 'etcd', 'go.mod'), 'utf8');
    expect(etcd).toContain(`go.etcd.io/etcd/server/v3 v${versions.ETCD_VERSION.replace(/-\d+$/, '')}`);
  });

  it('keys each Go artefact by its own pins: a version change rebuilds only that artefact', async () => {
    const versions = await readVersions();
    const bumped = { ...versions, COREDNS_VERSION: 'v1.12.2' };
    for (const name of Object.keys(goArtefacts) as GoArtefact[]) {
      const same = (await goArtefactKey(name, versions, 'go1.26')) === (await goArtefactKey(name, bumped, 'go1.26'));
      expect([name, same]).toEqual([name, name !== 'coredns']);
    }
    expect(await goArtefactKey('kind', versions, 'go1.26')).not.toBe(await goArtefactKey('kind', versions, 'go1.27'));
  });

  it('keeps add-on artefacts (Traefik, Helm, MetalLB) out of the cluster toolchain: bumping one rebuilds only it', async () => {
    const versions = await readVersions();
    expect(Object.keys(addOnArtefacts)).toEqual(['traefik', 'helm', 'metallb']);
    for (const [name, pin, next] of [['traefik', 'TRAEFIK_VERSION', 'v3.6.13'], ['helm', 'HELM_VERSION', 'v3.22.1'], ['metallb', 'METALLB_VERSION', 'v0.15.3']] as const) {
      const bumped = { ...versions, [pin]: next };
      expect(Object.keys(goArtefacts)).not.toContain(name);
      for (const other of Object.keys(goArtefacts) as GoArtefact[]) expect(await goArtefactKey(other, bumped, 'go1.26')).toBe(await goArtefactKey(other, versions, 'go1.26'));
      for (const addOn of Object.keys(addOnArtefacts) as (keyof typeof addOnArtefacts)[]) {
        const changed = (await goArtefactKey(addOn, bumped, 'go1.26')) !== (await goArtefactKey(addOn, versions, 'go1.26'));
        expect(changed, `${addOn} after a ${pin} bump`).toBe(addOn === name);
      }
    }
  });

  it('never lets CoreDNS forward a query', async () => {
    const manifest = await readFile(join(kindRoot, 'manifests', 'coredns.yaml'), 'utf8');
    const corefile = manifest.slice(manifest.indexOf('Corefile: |'), manifest.indexOf('---', manifest.indexOf('Corefile: |')));
    expect(corefile).not.toMatch(/\b(forward|proxy)\b/);
    expect(corefile).toContain('rcode NXDOMAIN');
  });
});
