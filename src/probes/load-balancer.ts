import { kindLabOf, kindNetwork, WatchTimedOut, type KindLab } from '../environment/kind/index.ts';
import type { ExecResult } from '../exec/exec-result.ts';
import { hostExec } from '../exec/host-exec.ts';
import { metallbInstalled, type InstalledLoadBalancer } from '../setup/metallb.ts';
import { madeBy, type ObservingProbe } from '../setup/setup.ts';
import { checked, checkFact, type CheckContext, type FactFound } from './check.ts';
import { runNpProbe } from './np-probe.ts';
import type { Probe } from './probe.ts';

type LoadBalancerStatus = { status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } };

const kubectl = (lab: KindLab, args: readonly string[]) => lab.cluster.kubectl(['-n', lab.namespace, ...args]);

/**
 * The control of "without a load balancer": no `metallb.io` API group is
 * served and no LoadBalancer Service anywhere in the cluster has an external
 * address (which any implementation would give). In K14 the runner holds the
 * cluster's load-balancer lock over the claim (the MetalLB setup's), so
 * another run's MetalLB cannot arrive meanwhile; a load balancer that is
 * there anyway (not the lab's) makes it fail, and the claim inconclusive.
 */
export function noLoadBalancerImplementation(): Probe {
  return loadBalancingFact('kubectl api-versions (a metallb.io group?); kubectl get services -A (a LoadBalancer Service with an external address?)', async (check, lab) => {
    const groups = await check.must(lab.cluster.kubectl(['api-versions']), 'the API groups');
    const metallb = groups.stdout.split('\n').filter((line) => line.startsWith('metallb.io/'));
    const listed = await check.must(
      lab.cluster.kubectl(['get', 'services', '-A', '-o', 'jsonpath={range .items[?(@.spec.type=="LoadBalancer")]}{.metadata.namespace}/{.metadata.name} {.status.loadBalancer.ingress[*].ip}{.status.loadBalancer.ingress[*].hostname}{"\\n"}{end}']),
      'the LoadBalancer Services',
    );
    const services = listed.stdout.split('\n').filter(Boolean).map((line) => line.trim().split(' '));
    const addressed = services.filter(([, address]) => address);
    return {
      holds: metallb.length === 0 && addressed.length === 0,
      observed: `metallb.io ${metallb.length ? `served (${metallb.join(', ')})` : 'not served'}; ${services.length} LoadBalancer Service(s) in the cluster, ${addressed.length ? `with an external address: ${addressed.map(([name, address]) => `${name} ${address}`).join(', ')}` : 'none with an external address'}`,
    };
  });
}

/**
 * A LoadBalancer Service still without an external address (`EXTERNAL-IP
 * <pending>`) `seconds` after its creation: watched from now until then (at
 * least a second, so the watch's list reads its status), so the time the
 * scenario's other claims took since the Service was made counts towards it.
 * Only the watch's deadline means "still pending"; a watch that fails is
 * check-failed.
 */
export function loadBalancerPending(service: string, seconds: number): Probe {
  return loadBalancingFact(`kubectl get service ${service} (type LoadBalancer), watched until ${seconds} s after its creation`, async (check, lab) => {
    await check.must(kubectl(lab, ['get', 'service', service, '-o', 'wide']), 'the Service at the start');
    const created = await check.must(kubectl(lab, ['get', 'service', service, '-o', 'jsonpath={.metadata.creationTimestamp}']), 'its creation time');
    const createdAt = check.need(Date.parse(created.stdout.trim()), `${service}'s creation time (${created.stdout.trim() || 'empty'})`);
    // creationTimestamp is in whole seconds: one more keeps the age at the deadline at least `seconds`.
    const watchMs = Math.max(1000, createdAt + (seconds + 1) * 1000 - Date.now());
    const assigned = await waitAddress(lab, service, watchMs);
    const after = await check.must(kubectl(lab, ['get', 'service', service, '-o', 'jsonpath={.status.loadBalancer}']), 'the Service at the end');
    const age = Math.floor((Date.now() - createdAt) / 1000);
    return {
      holds: assigned === undefined,
      observed:
        assigned === undefined
          ? `no external address ${age} s after its creation (watched the last ${(watchMs / 1000).toFixed(1)} s; status.loadBalancer ${after.stdout.trim() || '{}'}): EXTERNAL-IP <pending>`
          : `external address ${assigned} assigned`,
    };
  });
}

/** A fact check of the cluster's load balancing. */
function loadBalancingFact(connection: string, body: (check: CheckContext, lab: KindLab) => Promise<FactFound>): Probe {
  return {
    describe: connection,
    run: (_source, env) => checkFact(connection, (check) => body(check, kindLabOf(env))),
  };
}

/** The Service's external address(es) once assigned, by watch; undefined when `timeoutMs` pass without one. A watch that fails rejects. */
function waitAddress(lab: KindLab, service: string, timeoutMs: number): Promise<string | undefined> {
  return lab.client
    .waitFor<LoadBalancerStatus>(
      `/api/v1/namespaces/${lab.namespace}/services`,
      { fieldSelector: `metadata.name=${service}` },
      (s) => (s.status?.loadBalancer?.ingress?.length ?? 0) > 0,
      `an external address for ${service}`,
      timeoutMs,
    )
    .then(
      (s) => s.status!.loadBalancer!.ingress!.map((i) => i.ip ?? i.hostname).join(', '),
      (error: unknown) => (error instanceof WatchTimedOut ? undefined : Promise.reject(error)),
    );
}

export interface MetallbOptions {
  /** The scenario network the nodes sit on (kindNodeNetwork()): the pool is taken from the top of its subnet. */
  readonly network: string;
  /** How many addresses the pool has. */
  readonly poolSize: number;
  /** How long MetalLB has to assign an address, in seconds. */
  readonly assignSeconds: number;
}

/**
 * The second half of "an external IP only where a load balancer exists":
 * with MetalLB installed by the runner (metallbInstalled: L2 mode, a pool of
 * a few addresses at the top of the nodes' network, for Services of the
 * run's namespace only), waits for the Service's external address and for a
 * speaker to announce it, then GETs `http://<external IP>:<port>/` from the
 * source (a client outside the cluster on the nodes' network). The outcome
 * is that GET; the evidence is the install, the pool and advertisement, the
 * Service's status, MetalLB's events, kube-proxy's rule for the address, and
 * which node answers ARP for it (the source's neighbour entry, matched to a
 * node's MAC), then MetalLB's removal.
 */
export function loadBalancerThroughMetallb(service: string, port: number, options: MetallbOptions): ObservingProbe<InstalledLoadBalancer> {
  const describe = `MetalLB (L2) with a pool at the top of the nodes' subnet; GET http://<${service} external IP>${port === 80 ? '' : `:${port}`}/`;
  const setup = metallbInstalled({ service, network: options.network, poolSize: options.poolSize });
  return {
    describe,
    note: `${service}'s external IP, as MetalLB assigns it`,
    setup,
    run: (source, env) =>
      checked(describe, async (check) => {
        const lab = kindLabOf(env);
        const { version, namespace: mlb, poolName, poolRange } = madeBy(env, setup);
        const assigned = await waitAddress(lab, service, options.assignSeconds * 1000);
        await check.must(kubectl(lab, ['get', 'service', service, '-o', 'wide']), 'the Service');
        if (assigned === undefined) {
          await check.record(kubectl(lab, ['get', 'events', '--field-selector', `involvedObject.name=${service}`]));
          return { outcome: { kind: 'fact', holds: false, observed: `MetalLB ${version} runs with pool ${poolRange}, but ${service} got no external address in ${options.assignSeconds} s` } };
        }
        const ip = check.need(/^\d+\.\d+\.\d+\.\d+$/.exec(assigned)?.[0], `an IPv4 external address (got ${assigned})`);
        const announcer = await announcingNode(lab, mlb, service);
        await check.record(lab.cluster.kubectl(['-n', mlb, 'get', 'servicel2statuses', '-o', 'jsonpath={range .items[*]}{.status.serviceNamespace}/{.status.serviceName} {.status.node} {.status.interfaces}{"\\n"}{end}']));
        await check.must(kubectl(lab, ['get', 'events', '--field-selector', `involvedObject.name=${service}`, '-o', 'jsonpath={range .items[*]}{.lastTimestamp} {.source.component} {.reason}: {.message}{"\\n"}{end}']), "MetalLB's events on the Service");
        const rule = announcer ? await kubeProxyRuleFor(lab, check, announcer, service, ip) : undefined;
        const url = `http://${ip}${port === 80 ? '' : `:${port}`}/`;
        const get = await runNpProbe(source, ['http', url], 5, `GET ${url}`, { host: ip, port });
        for (const result of get.evidence) await check.record(result);
        const arp = await answeredArp(lab, check, source.exec(['ip', 'neigh', 'show', ip]));
        return {
          ...get,
          evidence: [],
          detail: [
            `MetalLB ${version} (L2) assigned ${ip} from pool ${poolName} (${poolRange}, Services of ${lab.namespace} only)`,
            `announced by ${announcer ? `${announcer} (its ServiceL2Status)` : 'no speaker within 30 s'}`,
            `kube-proxy there: ${rule ?? 'no rule for the address'}`,
            `the client's neighbour entry: ${arp}`,
            get.detail ?? '',
          ].join('; '),
        };
      }),
  };
}

/**
 * The node whose speaker announces the Service: its ServiceL2Status in this
 * install's namespace (fresh with each install, unlike the Service's
 * `nodeAssigned` events, which outlive a --repeat round), 30 s at most.
 */
async function announcingNode(lab: KindLab, metallb: string, service: string): Promise<string | undefined> {
  type L2Status = { status?: { node?: string; serviceName?: string; serviceNamespace?: string } };
  const status = await lab.client
    .waitFor<L2Status>(`/apis/metallb.io/v1beta1/namespaces/${metallb}/servicel2statuses`, {}, (s) => s.status?.serviceName === service && s.status.serviceNamespace === lab.namespace && !!s.status.node, `a speaker announcing ${service}`, 30_000)
    .catch((error: unknown) => (error instanceof WatchTimedOut ? undefined : Promise.reject(error)));
  return status?.status?.node;
}

/** Waits (250 ms steps, 30 s at most) until kube-proxy on `node` has its rule for the external address; returns the rule. */
async function kubeProxyRuleFor(lab: KindLab, check: CheckContext, node: string, service: string, ip: string): Promise<string | undefined> {
  const marker = `${lab.namespace}/${service}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const saved = await lab.cluster.nodeExec(node, ['iptables-save', '-t', 'nat']);
    const rule = saved.stdout.split('\n').find((l) => l.startsWith('-A KUBE-SERVICES') && l.includes(`-d ${ip}/32`) && l.includes(marker));
    if (rule || Date.now() > deadline) {
      await check.record({ ...saved, command: `${saved.command} | grep -- '-d ${ip}/32'`, stdout: rule ?? '' });
      return rule?.replace(/ -m comment --comment "[^"]*"/, '');
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Which node's MAC the client's neighbour entry for the address holds (the node whose speaker answered ARP); a MAC that is no node's fails the check. */
async function answeredArp(lab: KindLab, check: CheckContext, neighbour: Promise<ExecResult>): Promise<string> {
  const entry = await check.must(neighbour, "the client's neighbour entry");
  const mac = /lladdr ([0-9a-f:]{17})/.exec(entry.stdout)?.[1];
  if (!mac) return entry.stdout.trim() || 'none';
  const macs = await check.must(
    hostExec(['docker', 'inspect', '--format', `{{.Name}} {{(index .NetworkSettings.Networks "${kindNetwork}").MacAddress}}`, ...lab.facts.nodes.map((n) => n.name)]),
    "the nodes' MACs",
  );
  const node = macs.stdout.split('\n').map((line) => line.trim().replace(/^\//, '').split(' ')).find(([, m]) => m === mac)?.[0];
  if (!node) throw new Error(`the client's neighbour entry for the external address is ${mac}, which is no node's: something else answered ARP for it`);
  return `${entry.stdout.trim()} = ${node}'s MAC`;
}
