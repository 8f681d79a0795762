import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { WatchTimedOut } from '../../src/environment/kind/kube-client.ts';
import { metallbNamespace, poolFromSubnet, poolObjects, rewriteMetallbManifest } from '../../src/environment/kind/metallb.ts';
import type { StartedEnvironment } from '../../src/environment/started-environment.ts';
import type { ExecResult } from '../../src/exec/exec-result.ts';
import { loadBalancerPending, noLoadBalancerImplementation } from '../../src/probes/load-balancer.ts';
import type { StartedWorkload } from '../../src/workloads/workload.ts';
import { temporaryDirectories } from '../temp-dirs.ts';

const temporaryDirectory = temporaryDirectories();

/**
 * A manifest of the shape of MetalLB's metallb-native.yaml (written here, not
 * copied): its namespace, a CRD with a conversion webhook, cluster RBAC named
 * after the namespace, the controller and speaker, the validating webhook.
 */
const manifest = `
apiVersion: v1
kind: Namespace
metadata:
  name: metallb-system
  labels: {pod-security.kubernetes.io/enforce: privileged}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.metallb.io}
spec:
  conversion:
    strategy: Webhook
    webhook: {clientConfig: {service: {name: metallb-webhook-service, namespace: metallb-system, path: /convert}}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "metallb-system:controller", labels: {app: metallb}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "metallb-system:controller"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "metallb-system:controller"}
subjects: [{kind: ServiceAccount, name: controller, namespace: metallb-system}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: controller, namespace: metallb-system}
spec:
  template:
    spec:
      containers: [{name: controller, image: "quay.io/metallb/controller:v0.15.2", args: [--port=7472]}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: speaker, namespace: metallb-system}
spec:
  template:
    spec:
      hostNetwork: true
      containers: [{name: speaker, image: "quay.io/metallb/speaker:v0.15.2"}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: metallb-webhook-configuration, creationTimestamp: null}
webhooks:
- name: ipaddresspoolvalidationwebhook.metallb.io
  clientConfig: {service: {name: metallb-webhook-service, namespace: metallb-system, path: /validate}}
`;

type Obj = Record<string, any>;

const objects = (await rewriteMetallbManifest(manifest, { runId: 'r1', image: 'netproof/kind-metallb:abc' })) as Obj[];

describe("MetalLB's manifest, rewritten for one run", () => {
  const byKind = (kind: string) => objects.find((o) => o.kind === kind)!;

  it('installs into np-<run>-metallb: the namespace, every namespace field (subjects, webhook and conversion services)', () => {
    expect(metallbNamespace('r1')).toBe('np-r1-metallb');
    expect(byKind('Namespace').metadata).toMatchObject({ name: 'np-r1-metallb', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } });
    expect(byKind('Deployment').metadata.namespace).toBe('np-r1-metallb');
    expect(byKind('ClusterRoleBinding').subjects[0].namespace).toBe('np-r1-metallb');
    expect(byKind('ValidatingWebhookConfiguration').webhooks[0].clientConfig.service.namespace).toBe('np-r1-metallb');
    expect(byKind('CustomResourceDefinition').spec.conversion.webhook.clientConfig.service.namespace).toBe('np-r1-metallb');
    expect(JSON.stringify(objects)).not.toContain('metallb-system');
  });

  it('names the ClusterRoles and bindings after the run, and labels every object with the run and the add-on (cluster-scoped ones too)', () => {
    expect(byKind('ClusterRole').metadata.name).toBe('np-r1-metallb:controller');
    expect(byKind('ClusterRoleBinding').roleRef.name).toBe('np-r1-metallb:controller');
    for (const object of objects) expect(object.metadata.labels, object.kind).toMatchObject({ 'netproof.run': 'r1', 'netproof.addon': 'metallb' });
    expect(byKind('ClusterRole').metadata.labels.app).toBe('metallb');
    expect(byKind('ValidatingWebhookConfiguration').metadata).not.toHaveProperty('creationTimestamp');
  });

  it("runs the lab's image with imagePullPolicy Never and each command named: nothing is pulled", () => {
    expect(byKind('Deployment').spec.template.spec.containers[0]).toMatchObject({ image: 'netproof/kind-metallb:abc', imagePullPolicy: 'Never', command: ['/usr/local/bin/controller'], args: ['--port=7472'] });
    expect(byKind('DaemonSet').spec.template.spec.containers[0]).toMatchObject({ image: 'netproof/kind-metallb:abc', imagePullPolicy: 'Never', command: ['/usr/local/bin/speaker'] });
  });

  it('refuses a manifest that runs an image the lab does not build, or makes a cluster-scoped kind the sweep does not know', async () => {
    await expect(rewriteMetallbManifest(manifest.replace('metallb/speaker', 'frrouting/frr'), { runId: 'r1', image: 'x' })).rejects.toThrow(/frrouting\/frr:v0\.15\.2, which the lab does not build/);
    const extra = `${manifest}---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: metallb-high}\n`;
    await expect(rewriteMetallbManifest(extra, { runId: 'r1', image: 'x' })).rejects.toThrow(/cluster-scoped PriorityClass metallb-high/);
    await expect(rewriteMetallbManifest('', { runId: 'r1', image: 'x' })).rejects.toThrow(/no objects/);
  });

  it("limits the pool to the run's namespace and advertises it in L2 mode", () => {
    const [pool, advertisement] = poolObjects('r1', 'lab-pool', '172.18.255.251-172.18.255.254', 'np-r1') as Obj[];
    expect(pool).toMatchObject({ kind: 'IPAddressPool', metadata: { namespace: 'np-r1-metallb' }, spec: { addresses: ['172.18.255.251-172.18.255.254'], serviceAllocation: { namespaces: ['np-r1'] } } });
    expect(advertisement).toMatchObject({ kind: 'L2Advertisement', spec: { ipAddressPools: ['lab-pool'] } });
  });
});

describe('a load-balancer pool from the top of a subnet', () => {
  it('takes the last host addresses below the broadcast address', () => {
    expect(poolFromSubnet('172.18.0.0/16', 4)).toEqual({ range: '172.18.255.251-172.18.255.254', addresses: ['172.18.255.251', '172.18.255.252', '172.18.255.253', '172.18.255.254'] });
    expect(poolFromSubnet('10.1.2.0/24', 2).range).toBe('10.1.2.253-10.1.2.254');
    expect(poolFromSubnet('10.1.2.77/24', 2).range).toBe('10.1.2.253-10.1.2.254');
  });

  it('steps below addresses a container holds at the top, and refuses a hole inside the range', () => {
    expect(poolFromSubnet('10.1.2.0/24', 2, ['10.1.2.254', '10.1.2.2']).range).toBe('10.1.2.252-10.1.2.253');
    expect(() => poolFromSubnet('10.1.2.0/24', 3, ['10.1.2.252'])).toThrow(/10\.1\.2\.252 in 10\.1\.2\.0\/24 is taken/);
  });

  it('refuses what is no IPv4 subnet, or one too small to leave room for the nodes', () => {
    expect(() => poolFromSubnet('fc00:f853::/64', 4)).toThrow(/not an IPv4 subnet/);
    expect(() => poolFromSubnet('10.1.2.0/29', 4)).toThrow(/too small/);
  });
});

const ran = (stdout: string, exitCode: number | null = 0, stderr = ''): ExecResult => ({ command: 'kubectl …', exitCode, stdout, stderr, durationMs: 1, startedAt: '2026-11-25T00:00:00Z' });

/** A kind lab whose kubectl prints `outputs` in order and whose watch ends as `watch` says. */
function labEnv(outputs: ExecResult[], watch: () => Promise<unknown>): StartedEnvironment {
  const kind = {
    namespace: 'np-r1',
    cluster: { name: 'netproof', kubectl: async () => outputs.shift() ?? ran('', 1, 'no more output scripted') },
    client: { waitFor: watch },
  };
  const run = { id: 'r1', scenario: 'k8s-services', defer: () => undefined };
  return { run, kind, logger: { info: () => undefined }, workloads: {}, networks: {} } as unknown as StartedEnvironment;
}
const client = {} as StartedWorkload;

describe('K14: the pending half and its control', () => {
  beforeEach(async () => {
    process.env.NETPROOF_LOCK_DIR = await temporaryDirectory('np-locks-');
  });

  /** A creationTimestamp `secondsAgo` before now, as the API server writes it (whole seconds). */
  const createdAgo = (secondsAgo: number) => ran(new Date(Date.now() - secondsAgo * 1000).toISOString().replace(/\.\d+Z$/, 'Z'));
  /** A watch that times out, recording the deadline it was given. */
  const timingOut = (deadlines: number[]) => (_path: string, _query: unknown, _ready: unknown, _what: string, timeoutMs: number) => {
    deadlines.push(timeoutMs);
    return Promise.reject(new WatchTimedOut(`timed out after ${timeoutMs / 1000} s`));
  };

  it('pending: only the watch reaching its deadline means EXTERNAL-IP <pending>; the Service\'s age counts towards the seconds', async () => {
    const deadlines: number[] = [];
    const env = labEnv([ran('NAME TYPE EXTERNAL-IP\nlbweb LoadBalancer <pending>'), createdAgo(10), ran('{}')], timingOut(deadlines) as never);
    const observed = await loadBalancerPending('lbweb', 30).run(client, env);
    // Made 10 s ago (whole seconds, so up to 11): watched the rest of the 30 s, plus the second the timestamp may have lost.
    expect(deadlines[0]).toBeGreaterThan(19_000);
    expect(deadlines[0]).toBeLessThanOrEqual(21_000);
    expect(observed.outcome).toMatchObject({ kind: 'fact', holds: true });
    expect((observed.outcome as { observed: string }).observed).toMatch(/^no external address 1\d s after its creation \(watched the last 2\d\.\d s; status.loadBalancer \{\}\): EXTERNAL-IP <pending>$/);
    expect(observed.evidence).toHaveLength(3);
  });

  it('pending: a Service older than the seconds is still watched for a second (the watch lists its status)', async () => {
    const deadlines: number[] = [];
    const env = labEnv([ran('lbweb LoadBalancer <pending>'), createdAgo(95), ran('{}')], timingOut(deadlines) as never);
    const observed = await loadBalancerPending('lbweb', 30).run(client, env);
    expect(deadlines).toEqual([1000]);
    expect((observed.outcome as { observed: string }).observed).toMatch(/^no external address 9[56] s after its creation \(watched the last 1\.0 s/);
  });

  it('pending: no readable creation time is check-failed', async () => {
    const env = labEnv([ran('lbweb LoadBalancer <pending>'), ran('')], () => Promise.reject(new Error('unused')));
    const observed = await loadBalancerPending('lbweb', 30).run(client, env);
    expect(observed.outcome).toEqual({ kind: 'check-failed', reason: "missing lbweb's creation time (empty)" });
  });

  it('pending: a watch that fails otherwise (API gone, forbidden) is check-failed, not "still pending"', async () => {
    const env = labEnv([ran('lbweb LoadBalancer <pending>'), createdAgo(5), ran('{}')], () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6443')));
    const observed = await loadBalancerPending('lbweb', 30).run(client, env);
    expect(observed.outcome).toEqual({ kind: 'check-failed', reason: 'connect ECONNREFUSED 127.0.0.1:6443' });
  });

  it('pending: an address assigned during the watch does not hold', async () => {
    const env = labEnv([ran('lbweb'), createdAgo(5), ran('{"ingress":[{"ip":"172.18.255.254"}]}')], () => Promise.resolve({ status: { loadBalancer: { ingress: [{ ip: '172.18.255.254' }] } } }));
    const observed = await loadBalancerPending('lbweb', 30).run(client, env);
    expect(observed.outcome).toEqual({ kind: 'fact', holds: false, observed: 'external address 172.18.255.254 assigned' });
  });

  it('control: holds with no metallb.io group and no LoadBalancer Service with an address', async () => {
    const env = labEnv([ran('apps/v1\nv1\n'), ran('np-r1/lbweb \n')], () => Promise.reject(new Error('unused')));
    const observed = await noLoadBalancerImplementation().run(client, env);
    expect(observed.outcome).toEqual({ kind: 'fact', holds: true, observed: 'metallb.io not served; 1 LoadBalancer Service(s) in the cluster, none with an external address' });
  });

  it('control: a MetalLB already there (or an addressed Service) does not hold; a failing kubectl is check-failed', async () => {
    const present = await noLoadBalancerImplementation().run(client, labEnv([ran('metallb.io/v1beta1\nv1\n'), ran('other/lb 172.18.255.200\n')], () => Promise.reject(new Error('unused'))));
    expect(present.outcome).toMatchObject({ kind: 'fact', holds: false, observed: 'metallb.io served (metallb.io/v1beta1); 1 LoadBalancer Service(s) in the cluster, with an external address: other/lb 172.18.255.200' });
    const failed = await noLoadBalancerImplementation().run(client, labEnv([ran('', 1, 'The connection to the server was refused')], () => Promise.reject(new Error('unused'))));
    expect(failed.outcome.kind).toBe('check-failed');
  });
});
