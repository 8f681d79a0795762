import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engines } from '../../src/environment/docker/index.ts';
import { enginesRoot, readEngineVersions } from '../../src/environment/docker/engine-recipe.ts';
import { userlandProxyFrom } from '../../src/environment/docker/docker-facts.ts';

/** The engines built from their modules (engines/README.md): each recipe pins what build.sh reads. */
describe('engine recipes', () => {
  const built = ['28.5', '29.8'];

  it('every built engine pins its moby module, the Docker version it is, and the containerd and runc moby builds it with', async () => {
    for (const engine of built) {
      const versions = await readEngineVersions(engine);
      // RUNC_SELINUX only where that runc's module cannot build as published (engines/28.5/versions.env says why).
      expect(Object.keys(versions).filter((key) => key !== 'RUNC_SELINUX').sort(), engine).toEqual(['CONTAINERD_MODULE', 'CONTAINERD_VERSION', 'DOCKER_VERSION', 'MOBY_GO_MOD', 'MOBY_MODULE', 'MOBY_VERSION', 'RUNC_VERSION']);
      expect(versions.DOCKER_VERSION!.startsWith(engine), `${engine}: DOCKER_VERSION ${versions.DOCKER_VERSION}`).toBe(true);
    }
  });

  it('--engine takes each, and the nftables variant of 29.8', () => {
    expect(Object.keys(engines)).toEqual(['machine', '20.10', '28.5', '29.8', '29.8-nft']);
    expect(engines['29.8-nft']!.description).toContain('nftables');
  });

  it("the image copies exactly what build.sh builds", async () => {
    const dockerfile = await readFile(join(enginesRoot, 'moby', 'Dockerfile'), 'utf8');
    const script = await readFile(join(enginesRoot, 'moby', 'build.sh'), 'utf8');
    const copied = /^COPY (.+) \/usr\/local\/bin\/$/m.exec(dockerfile)![1]!.split(' ');
    expect(copied).toEqual(['dockerd', 'docker-proxy', 'containerd', 'containerd-shim-runc-v2', 'runc']);
    for (const binary of ['./cmd/dockerd', './cmd/docker-proxy', './cmd/containerd', './cmd/containerd-shim-runc-v2', 'module_copy github.com/opencontainers/runc']) expect(script).toContain(binary);
  });
});

describe("the engine's fingerprint: userland-proxy", () => {
  it('reads the flag first, then daemon.json, else says it is the default', () => {
    expect(userlandProxyFrom('/usr/bin/dockerd --host=tcp://0.0.0.0:2375 --userland-proxy=false ', '{"userland-proxy": true}')).toBe('false (dockerd --userland-proxy)');
    expect(userlandProxyFrom('/usr/bin/dockerd --userland-proxy ', '')).toBe('true (dockerd --userland-proxy)');
    expect(userlandProxyFrom('/usr/sbin/dockerd -H fd://', '{\n  "userland-proxy": false\n}')).toBe('false (/etc/docker/daemon.json)');
    expect(userlandProxyFrom('/usr/sbin/dockerd -H fd://', '')).toBe('true (the default)');
    // A longer flag with the same prefix is not it.
    expect(userlandProxyFrom('dockerd --userland-proxy-path=/usr/bin/docker-proxy', '')).toBe('true (the default)');
  });
});
