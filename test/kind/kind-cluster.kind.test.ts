import { access } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostExec } from '../../src/exec/host-exec.ts';
import { ensureImages } from '../../src/images/build-images.ts';
import { noopLogger } from '../../src/log.ts';
import { kindClusterLabel, startKindCluster, type StartedKindCluster } from '../../src/environment/kind/kind-cluster.ts';
import { kindNetwork, packetsStoppedFromKind } from '../../src/environment/kind/kind-network.ts';
import { runPodOnce } from '../../src/environment/kind/run-pod.ts';
import { appImages, prepareKindTier, prepareTimeoutMs } from './prepare.ts';

interface PodList { items: { metadata: { name: string }; spec: { nodeName?: string }; status: { phase: string; podIP?: string } }[] }
interface EventList { items: { reason: string; message: string; involvedObject: { name: string } }[] }

/**
 * The default cluster for real (kindnetd-lab, 1 control plane + 2 workers), made
 * with zero registry pulls: nodes, DNS, cross-node pod traffic, the project's
 * own images as pods, and a delete that leaves nothing behind.
 */
describe('a kind cluster built without a registry', () => {
  let cluster: StartedKindCluster;
  let refs: Record<string, string>;
  /** The kind guard counts for the network's lifetime, which another cluster on it may have begun: this file's share is what it adds. */
  let stoppedBefore = 0;
  const kubectlJson = async <T>(args: string[]): Promise<T> => JSON.parse((await cluster.kubectlOrThrow([...args, '-o', 'json'])).stdout) as T;

  beforeAll(() => prepareKindTier(), prepareTimeoutMs);

  beforeAll(async () => {
    stoppedBefore = await packetsStoppedFromKind();
    cluster = await startKindCluster({ cni: 'kindnetd-lab', workers: 2 }, noopLogger);
    refs = await ensureImages(appImages, noopLogger);
    await cluster.loadImages(Object.values(refs));
  }, 900_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 300_000);

  it('has every node Ready: one control plane and two workers', async () => {
    const nodes = await kubectlJson<{ items: { metadata: { name: string }; status: { conditions: { type: string; status: string }[] } }[] }>(['get', 'nodes']);
    expect(nodes.items.map((n) => n.metadata.name).sort()).toEqual([`${cluster.name}-control-plane`, `${cluster.name}-worker`, `${cluster.name}-worker2`]);
    for (const node of nodes.items) expect(node.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('resolves kubernetes.default.svc.cluster.local from a pod, and forwards no other name out of the machine', async () => {
    const lookup = (name: string) =>
      runPodOnce(cluster, `dns-${Math.random().toString(36).slice(2, 8)}`, { image: refs.toolbox ?? refs.django!, command: ['getent', 'hosts', name] });
    const inCluster = await lookup('kubernetes.default.svc.cluster.local');
    expect(inCluster.phase).toBe('Succeeded');
    expect(inCluster.logs).toMatch(/^10\.96\.0\.1\s+kubernetes\.default\.svc\.cluster\.local/m);
    // CoreDNS has no upstream: an outside name is NXDOMAIN from CoreDNS itself (getent exits 2).
    const outside = await lookup('example.com');
    expect(outside.phase).toBe('Failed');
    expect(outside.logs.trim()).toBe('');
    const corefile = (await cluster.kubectlOrThrow(['-n', 'kube-system', 'get', 'configmap', 'coredns', '-o', 'jsonpath={.data.Corefile}'])).stdout;
    expect(corefile).not.toMatch(/forward|proxy/);
  });

  it('lets a pod on one worker reach a pod on the other by pod IP, seeing its real pod IP', async () => {
    const image = refs.toolbox ?? refs.django!;
    const pod = (name: string, node: string, command: string[]) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: { nodeName: node, restartPolicy: 'Never', containers: [{ name, image, imagePullPolicy: 'Never', command }] },
    });
    await cluster.kubectlOrThrow(['apply', '-f', '-'], { input: JSON.stringify(pod('server', `${cluster.name}-worker2`, ['python3', '-m', 'http.server', '8080'])) });
    await cluster.kubectlOrThrow(['apply', '-f', '-'], { input: JSON.stringify(pod('client', `${cluster.name}-worker`, ['sleep', 'infinity'])) });
    await cluster.kubectlOrThrow(['wait', '--for=condition=Ready', 'pod/server', 'pod/client', '--timeout=120s'], { timeoutMs: 130_000 });
    const pods = await kubectlJson<PodList>(['get', 'pods']);
    const ip = (name: string) => pods.items.find((p) => p.metadata.name === name)!.status.podIP!;
    expect(ip('server')).toMatch(/^10\.224\./);
    const fetch = await cluster.kubectlOrThrow(['exec', 'client', '--', 'python3', '-c',
      `import urllib.request; print(urllib.request.urlopen("http://${ip('server')}:8080/", timeout=10).status)`], { timeoutMs: 30_000 });
    expect(fetch.stdout.trim()).toBe('200');
    // http.server logs each request's client address: the client's pod IP, not its node's (no NAT between pods).
    const log = (await cluster.kubectlOrThrow(['logs', 'server'])).stdout + (await cluster.kubectlOrThrow(['logs', 'server'])).stderr;
    expect(log).toContain(`${ip('client')} - -`);
  }, 240_000);

  it("runs the project's own app images as pods", async () => {
    const env: Record<string, { name: string; value: string }[]> = {
      postgres: [{ name: 'POSTGRES_PASSWORD', value: 'mysecretpassword' }],
      // The nginx image proxies to whatever the scenario names; here Flask's port in the same pod network.
      nginx: [{ name: 'NGINX_PROXY_PASS', value: 'http://127.0.0.1:6001' }],
    };
    for (const [name, ref] of Object.entries(refs)) {
      const manifest = {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: `app-${name}` },
        spec: { containers: [{ name, image: ref, imagePullPolicy: 'IfNotPresent', env: env[name] ?? [] }] },
      };
      await cluster.kubectlOrThrow(['apply', '-f', '-'], { input: JSON.stringify(manifest) });
    }
    const names = Object.keys(refs).map((n) => `pod/app-${n}`);
    await cluster.kubectlOrThrow(['wait', '--for=condition=Ready', ...names, '--timeout=180s'], { timeoutMs: 190_000 });
    if (refs.postgres) {
      // The pod is Ready once the container runs; PostgreSQL itself may take a few seconds more.
      let ready = await cluster.kubectl(['exec', 'app-postgres', '--', 'pg_isready', '-h', '127.0.0.1']);
      for (let i = 0; i < 30 && ready.exitCode !== 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        ready = await cluster.kubectl(['exec', 'app-postgres', '--', 'pg_isready', '-h', '127.0.0.1']);
      }
      expect(ready.stdout).toContain('accepting connections');
    }
  }, 240_000);

  it('pulled no image: every container image was already on its node', async () => {
    const events = await kubectlJson<EventList>(['get', 'events', '--all-namespaces']);
    expect(events.items.filter((e) => e.reason === 'Pulling' || e.reason === 'Failed' || /pull/i.test(e.reason))
      .filter((e) => e.reason !== 'Pulled')).toEqual([]);
    const pulled = events.items.filter((e) => e.reason === 'Pulled');
    expect(pulled.length).toBeGreaterThan(0);
    for (const event of pulled) expect(event.message).toMatch(/already present on machine/);
  });

  it('sent nothing off the machine: the guard on the nodes\' network stopped no packet', async () => {
    expect((await cluster.packetsStopped()) - stoppedBefore).toBe(0);
  });

  it('deletes the cluster and leaves nothing behind', async () => {
    await cluster.stop();
    const containers = await hostExec(['docker', 'ps', '-aq', '--filter', `label=${kindClusterLabel}=${cluster.name}`]);
    expect(containers.stdout.trim()).toBe('');
    expect(await access(cluster.kubeconfig).then(() => true, () => false)).toBe(false);
    const otherKindNodes = (await hostExec(['docker', 'ps', '-aq', '--filter', `label=${kindClusterLabel}`])).stdout.trim();
    if (otherKindNodes === '') {
      expect((await hostExec(['docker', 'network', 'inspect', kindNetwork])).exitCode).not.toBe(0);
      expect((await hostExec(['bash', '-c', 'iptables-save | grep -c "netproof kind guard" || true'])).stdout.trim()).toBe('0');
    }
    const volumes = await hostExec(['docker', 'volume', 'ls', '-q', '--filter', 'dangling=true']);
    expect(volumes.stdout.split('\n').filter((v) => v.includes(cluster.name))).toEqual([]);
  }, 300_000);
});
