/**
 * Where the cluster's pod addresses come from, read from the cluster: the
 * range the controller-manager was started with, each node's slice of it
 * (spec.podCIDR), and each pod's IP against both (K9, K22).
 */
import { kindLabOf, type KindLab } from '../environment/kind/index.ts';
import { checkFact, type CheckContext } from './check.ts';
import type { Probe } from './probe.ts';

const toInt = (address: string) => address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
export const inCidr = (ip: string, cidr: string) => {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(base!) / size);
};

interface PodRow { name: string; node: string; ip: string }

/** The pods on the pod network (hostNetwork pods aside) and each node's podCIDR, as kubectl lists them. */
async function podPlacement(lab: KindLab, check: CheckContext): Promise<{ pods: PodRow[]; nodeCidrs: Map<string, string> }> {
  const pods = await check.must(lab.cluster.kubectl(['get', 'pods', '-A', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.status.podIP} {.spec.hostNetwork}{"\\n"}{end}']), 'the pod list');
  const nodes = await check.must(lab.cluster.kubectl(['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.spec.podCIDR}{"\\n"}{end}']), 'the node list');
  const rows = pods.stdout.trim().split('\n').map((l) => l.split(' ')).filter(([, , ip, hostNetwork]) => ip && hostNetwork !== 'true').map(([name, node, ip]) => ({ name: name!, node: node!, ip: ip! }));
  const nodeCidrs = new Map(nodes.stdout.trim().split('\n').map((l): [string, string] => { const [n, c] = l.split(' '); return [n!, c ?? '']; }));
  return { pods: rows, nodeCidrs };
}

const shortNode = (lab: KindLab, node: string) => node.replace(`${lab.cluster.name}-`, '');
const offNode = (pods: PodRow[], nodeCidrs: Map<string, string>) => pods.filter((r) => !nodeCidrs.get(r.node) || !inCidr(r.ip, nodeCidrs.get(r.node)!));

/** Every pod IP in the cluster (hostNetwork pods aside): unique, inside the pod CIDR and inside its node's podCIDR. */
export function podIpsPerNode(): Probe {
  const connection = 'kubectl get pods -A -o wide; kubectl get nodes -o jsonpath={.spec.podCIDR}';
  return {
    describe: connection,
    run: (_source, env) =>
      checkFact(connection, async (check) => {
        const lab = kindLabOf(env);
        const { pods, nodeCidrs } = await podPlacement(lab, check);
        check.need(pods.length > 1 ? pods : undefined, 'at least two pods on the pod network');
        const duplicates = pods.filter((r, i) => pods.findIndex((o) => o.ip === r.ip) !== i);
        const outside = pods.filter((r) => !inCidr(r.ip, lab.facts.podCidr));
        const wrongNode = offNode(pods, nodeCidrs);
        const perNode = [...nodeCidrs].map(([n, c]) => `${shortNode(lab, n)} ${c}: ${pods.filter((r) => r.node === n).length} pods`).join('; ');
        const holds = duplicates.length === 0 && outside.length === 0 && wrongNode.length === 0;
        const problems = [...duplicates.map((r) => `${r.ip} twice`), ...outside.map((r) => `${r.name} ${r.ip} outside ${lab.facts.podCidr}`), ...wrongNode.map((r) => `${r.name} ${r.ip} outside ${r.node}'s podCIDR`)];
        return { holds, observed: `${pods.length} pod IPs, ${holds ? `all unique and inside ${lab.facts.podCidr}, each inside its node's podCIDR` : problems.join('; ')}`, detail: perNode };
      }),
  };
}

/**
 * The article's "multi-hosts have different subnet ranges ⇒ RANGE": the
 * controller-manager's --cluster-cidr is RANGE, each node's podCIDR is a
 * different subnet inside it, and each pod's IP is inside its node's subnet.
 */
export function podRangePerNode(range: string): Probe {
  const connection = `kube-controller-manager's --cluster-cidr; kubectl get nodes -o jsonpath={.spec.podCIDR}; kubectl get pods -A -o wide: against ${range}`;
  return {
    describe: connection,
    run: (_source, env) =>
      checkFact(connection, async (check) => {
        const lab = kindLabOf(env);
        const manager = await check.must(lab.cluster.kubectl(['-n', 'kube-system', 'get', 'pods', '-l', 'component=kube-controller-manager', '-o', 'jsonpath={.items[0].spec.containers[0].command}']), "the controller-manager's command line");
        const clusterCidr = check.need(/--cluster-cidr=([\d./]+)/.exec(manager.stdout)?.[1], "--cluster-cidr on the controller-manager's command line");
        const { pods, nodeCidrs } = await podPlacement(lab, check);
        const subnets = [...nodeCidrs.values()];
        const distinct = new Set(subnets).size === subnets.length && subnets.every(Boolean);
        const nodesInside = subnets.every((c) => c && inCidr(c.split('/')[0]!, range) && Number(c.split('/')[1]) >= Number(range.split('/')[1]));
        const wrongNode = offNode(pods, nodeCidrs);
        const holds = clusterCidr === range && distinct && nodesInside && wrongNode.length === 0;
        const perNode = [...nodeCidrs].map(([n, c]) => `${shortNode(lab, n)} ${c || 'no podCIDR'}: ${pods.filter((r) => r.node === n).length} pods`).join('; ');
        const problems = [
          ...(clusterCidr === range ? [] : [`the cluster's pod range is ${clusterCidr}, not ${range}`]),
          ...(distinct ? [] : ['nodes share a subnet or lack one']),
          ...(nodesInside ? [] : [`node subnets outside ${range}`]),
          ...wrongNode.map((r) => `${r.name} ${r.ip} outside its node's subnet`),
        ];
        return { holds, observed: `cluster-cidr ${clusterCidr}; ${perNode}${holds ? `; each node a different subnet of ${range}, every pod inside its node's` : `; ${problems.join('; ')}`}` };
      }),
  };
}
