import { ciliumServiceList, cniOf, kindLabOf, serviceFrontends, type KindLab, type KindNode } from '../environment/kind/index.ts';
import type { ExecResult } from '../exec/exec-result.ts';
import { podName } from '../workloads/k8s-pod.ts';
import { endpointAddresses, podsReplaced, type ReplacedPods } from '../setup/replaced-pods.ts';
import { madeBy, type ObservingProbe } from '../setup/setup.ts';
import { checkFact, type CheckContext } from './check.ts';
import { inCidr } from './pod-ranges.ts';
import { answeredGet, reportsIn, runNpProbe } from './np-probe.ts';
import type { Probe } from './probe.ts';

/** `kubectl` against the lab cluster, run for real so the evidence is the pasteable command and its output. */
const kubectl = (lab: KindLab, args: readonly string[]) => lab.cluster.kubectl(['-n', lab.namespace, ...args]);

/**
 * An HTTP GET through nginx, then nginx's error log: the status is the
 * outcome, the log line says why (e.g. a 502's "connect() failed (111:
 * Connection refused) while connecting to upstream").
 */
export function httpThroughNginx(nginxWorkload: string, port: number, proxyPass: string): Probe {
  const describe = `GET http://<${nginxWorkload} pod IP>:${port}/ (nginx, proxy_pass ${proxyPass})`;
  return {
    describe,
    run: async (source, env) => {
      const nginx = env.workloads[nginxWorkload];
      const address = nginx?.addresses.pod;
      if (!nginx || !address) return { outcome: { kind: 'check-failed', reason: `missing ${nginxWorkload}'s pod IP` }, connection: describe, evidence: [] };
      const url = `http://${address}:${port}/`;
      const observed = await runNpProbe(source, ['http', url], 10, `GET ${url}`, { host: address, port });
      const log = await nginx.exec(['tail', '-n', '3', '/var/log/nginx/error.log']);
      const line = log.stdout.trim().split('\n').filter(Boolean).at(-1);
      return { ...observed, evidence: [...observed.evidence, log], detail: `${observed.detail ?? ''}${line ? `; nginx error log: ${line}` : '; nginx error log: empty'}` };
    },
  };
}

/** The IPv4 address each named container of one pod sees on its eth0: equal means one network namespace. */
export function containersShareIp(workload: string, containers: readonly string[]): Probe {
  const connection = `ip -4 -o addr show eth0 in containers ${containers.join(', ')} of pod ${workload}`;
  return {
    describe: connection,
    run: (_source, env) =>
      checkFact(connection, async (check) => {
        const lab = kindLabOf(env);
        const addresses: string[] = [];
        for (const container of containers) {
          const shown = await check.must(lab.client.exec(lab.namespace, podName(workload), ['ip', '-4', '-o', 'addr', 'show', 'eth0'], { container }), `eth0 of ${container}`);
          addresses.push(check.need(/inet (\d+\.\d+\.\d+\.\d+)\//.exec(shown.stdout)?.[1], `an IPv4 address on ${container}'s eth0`));
        }
        const same = new Set(addresses).size === 1;
        return { holds: same, observed: containers.map((c, i) => `${c} ${addresses[i]}`).join(', '), detail: same ? 'one address: the containers share the pod sandbox\'s network namespace' : 'different addresses' };
      }),
  };
}

/** A GET from the source to a server pod; holds when the server (np-serve) saw the source's own pod IP. */
export function sourceSeenAsPodIp(serverWorkload: string, port: number): Probe {
  const describe = `GET http://<${serverWorkload} pod IP>:${port}/: the client address the server saw`;
  return {
    describe,
    run: (source, env) =>
      checkFact(describe, async (check) => {
        const server = check.need(env.workloads[serverWorkload]?.addresses.pod || undefined, `${serverWorkload}'s pod IP`);
        const own = check.need(source.addresses.pod || undefined, `${source.name}'s pod IP`);
        const result = await check.must(source.exec(['np-probe', 'http', `http://${server}:${port}/`, '--timeout', '5']), 'the GET');
        const report = check.need(reportsIn(result).at(-1), 'an np-probe report');
        const seen = check.need(/you are (\S+)/.exec(report.body ?? '')?.[1], 'the client address in the answer');
        return { holds: seen === own, observed: `${report.served_by} saw ${seen}; the client's pod IP is ${own}`, detail: seen === own ? 'no NAT between pods' : 'the source was rewritten on the way' };
      }),
  };
}

/** A fact read on every node: holds when it holds on each; `observed` lists each node's finding. */
export function onEveryNode(connection: string, perNode: (node: KindNode, lab: KindLab, check: CheckContext) => Promise<{ holds: boolean; observed: string }>): Probe {
  return {
    describe: connection,
    run: (_source, env) =>
      checkFact(connection, async (check) => {
        const lab = kindLabOf(env);
        const found = [];
        for (const node of lab.facts.nodes) found.push({ node: node.name.replace(`${lab.cluster.name}-`, ''), ...(await perNode(node, lab, check)) });
        return { holds: found.every((f) => f.holds), observed: found.map((f) => `${f.node}: ${f.observed}`).join('; ') };
      }),
  };
}

/** On every node: the files in /etc/cni/net.d and the plugin types of each conflist. */
export const cniConfigOnNodes = (): Probe =>
  onEveryNode('ls /etc/cni/net.d and its conflists, on every node', async (node, lab, check) => {
    const listing = await check.must(lab.cluster.nodeExec(node.name, ['sh', '-c', 'cd /etc/cni/net.d && for f in *; do echo "== $f"; cat "$f"; done']), `/etc/cni/net.d on ${node.name}`);
    const files = [...listing.stdout.matchAll(/^== (.+)$/gm)].map((m) => m[1]!);
    const configs = files.filter((f) => /\.conf(list)?$/.test(f));
    const plugins = configs.map((file) => {
      const body = listing.stdout.split(`== ${file}\n`)[1]?.split(/^== /m)[0] ?? '';
      const parsed = check.json<{ name?: string; type?: string; plugins?: { type: string }[] }>({ ...listing, stdout: body }, `${file} on ${node.name}`);
      return `${file} (network "${parsed.name}": ${(parsed.plugins ?? [{ type: parsed.type ?? '?' }]).map((p) => p.type).join(' + ')})`;
    });
    return { holds: configs.length > 0, observed: plugins.join(', ') || `no CNI config (${files.join(', ') || 'empty'})` };
  });

/** N GETs of one URL from the source in one exec; holds when more than one pod answered. */
export function spreadOverPods(url: string, requests: number): Probe {
  const connection = `${requests} × GET ${url}`;
  return {
    describe: connection,
    run: (source) =>
      checkFact(connection, async (check) => {
        const result = await check.must(source.exec(['sh', '-c', `for i in $(seq ${requests}); do np-probe http '${url}' --timeout 3; done`], {}), 'the GETs', [0, 1]);
        const reports = reportsIn(result);
        check.need(reports.length === requests ? reports : undefined, `${requests} np-probe reports (got ${reports.length})`);
        const failed = reports.filter((r) => !r.ok || r.status !== 200);
        if (failed.length) throw new Error(`${failed.length} of ${requests} GETs got no 200: ${failed[0]!.error ?? failed[0]!.status}`);
        const counts = new Map<string, number>();
        for (const r of reports) counts.set(r.served_by ?? '?', (counts.get(r.served_by ?? '?') ?? 0) + 1);
        return { holds: counts.size > 1, observed: `${counts.size} pods answered: ${[...counts].map(([pod, n]) => `${pod} ×${n}`).join(', ')}` };
      }),
  };
}

/**
 * After the runner replaced every pod of a Deployment (podsReplaced, which
 * first checks that the Service answers), GET the Service again: holds when
 * the answer comes from a new pod at a new IP, through the same Service port.
 */
export function survivesPodReplacement(deploymentWorkload: string, service: string, replicas: number, url: string): ObservingProbe<ReplacedPods> {
  const connection = `GET ${url}; kubectl delete pods -l app=${deploymentWorkload}; GET ${url}`;
  const setup = podsReplaced(deploymentWorkload, service, replicas, url);
  return {
    describe: connection,
    setup,
    run: (source, env) =>
      checkFact(connection, async (check) => {
        const lab = kindLabOf(env);
        const { oldPods, oldIps, answeredBefore } = madeBy(env, setup);
        const endpointsAfter = await check.must(endpointAddresses(lab, service), 'the endpoints after');
        const after = await answeredGet(check, source, url, 'after');
        const endpoints = endpointsAfter.stdout.trim().split(/\s+/);
        const fresh = !oldPods.some((pod) => after.served_by?.endsWith(`-${pod}`)) && endpoints.every((ip) => !oldIps.includes(ip));
        return {
          holds: fresh,
          observed: `before: ${answeredBefore} (endpoints ${oldIps.join(' ')}); after: ${after.served_by} (endpoints ${endpoints.join(' ')})`,
          detail: fresh ? 'the Service kept its name and port; kube-proxy now sends to the new endpoints' : 'the answer came from an old pod or an old IP',
        };
      }),
  };
}

/**
 * kube-proxy's NAT rules for a Service on one node (their comments name
 * `<namespace>/<service>`): the evidence of what happens to a packet for it.
 * Where cilium replaced kube-proxy, the same evidence is cilium's service table.
 */
export function kubeProxyRules(service: string, node: string): Probe {
  const connection = `iptables-save -t nat | grep <namespace>/${service}, on ${node} (where cilium replaced kube-proxy: cilium-dbg service list there)`;
  return {
    describe: connection,
    run: (_source, env) =>
      checkFact(connection, async (check) => {
        const lab = kindLabOf(env);
        if (cniOf(lab).replacesKubeProxy) {
          const listed = await check.must(ciliumServiceList(lab.cluster, `${lab.cluster.name}-${node}`), `cilium's service table on ${node}`);
          const fronts = serviceFrontends(listed.stdout, lab.namespace, service);
          return { holds: fronts.length > 0, observed: `cilium's service table on ${node}: ${fronts.map((f) => `${f.frontend} ${f.type} → ${f.backends.join(', ') || 'no backend'}`).join(' | ') || `no frontend for ${lab.namespace}/${service}`}` };
        }
        const saved = await check.must(lab.cluster.nodeExec(`${lab.cluster.name}-${node}`, ['iptables-save', '-t', 'nat']), `the NAT rules on ${node}`);
        const rules = saved.stdout.split('\n').filter((l) => l.includes(`${lab.namespace}/${service}`) && l.startsWith('-A KUBE-'));
        const entry = rules.filter((l) => /^-A KUBE-(SERVICES|NODEPORTS|EXT-)/.test(l));
        return { holds: rules.length > 0, observed: `${rules.length} rules for ${lab.namespace}/${service}; entry: ${entry.map((l) => l.replace(/ -m comment --comment "[^"]*"/, '')).join(' | ') || 'none'}` };
      }),
  };
}

/** A Service's type and address as the API server filled them in (K23: its manifest gave no type). */
export function serviceTypeAndAddress(service: string): Probe {
  const connection = `kubectl get service ${service} -o jsonpath='{.spec.type} {.spec.clusterIP}'`;
  return {
    describe: connection,
    run: (_source, env) =>
      checkFact(connection, async (check) => {
        const lab = kindLabOf(env);
        const got = await check.must(kubectl(lab, ['get', 'service', service, '-o', 'jsonpath={.spec.type} {.spec.clusterIP}']), `the Service ${service}`);
        const [type, address] = got.stdout.trim().split(' ');
        const inside = address !== undefined && /^\d+\.\d+\.\d+\.\d+$/.test(address) && inCidr(address, lab.facts.serviceCidr);
        return { holds: type === 'ClusterIP' && inside, observed: `type ${type}, address ${address}${inside ? ` (inside the service CIDR ${lab.facts.serviceCidr})` : ` (not inside the service CIDR ${lab.facts.serviceCidr})`}` };
      }),
  };
}
