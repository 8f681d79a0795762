import type { V1Pod } from '@kubernetes/client-node';
import { kindLabOf, type KindLab } from '../environment/kind/index.ts';
import { waitEndpoints, waitKubeProxy } from '../workloads/k8s-deployment.ts';
import { answeredGet } from '../probes/np-probe.ts';
import type { Setup } from './setup.ts';

/** The pod set before the replacement, for the probe to tell old from new. */
export interface ReplacedPods {
  /** The pod that answered the GET before (np-serve's name for itself). */
  readonly answeredBefore?: string;
  readonly oldPods: readonly string[];
  /** The Service's endpoint addresses before. */
  readonly oldIps: readonly string[];
}

/**
 * Every pod of a Deployment deleted and its replacements awaited: `replicas`
 * new pods Ready (by watch), the Service's EndpointSlices holding their IPs
 * and kube-proxy's rules pointing at them. First the Service (`service`,
 * selecting app=`app`) must answer a GET of `url` from the source (replacing the pods
 * behind a Service that does not answer shows nothing), and its endpoints
 * are read, so the probe can tell old from new. Nothing to undo: the new
 * pods are the Deployment's own, in the run's namespace.
 */
export function podsReplaced(app: string, service: string, replicas: number, url: string): Setup<ReplacedPods> {
  return {
    describe: `the pods of ${app} deleted and replaced`,
    async apply(check, env, source) {
      const lab = kindLabOf(env);
      const before = await answeredGet(check, source, url, 'before');
      const endpoints = await check.must(endpointAddresses(lab, service), 'the endpoints before');
      const oldPods = (await lab.client.core.listNamespacedPod({ namespace: lab.namespace, labelSelector: `app=${app}` })).items.map((p) => p.metadata!.name!);
      await check.must(lab.cluster.kubectl(['-n', lab.namespace, 'delete', 'pods', '-l', `app=${app}`, '--wait=true']), 'deleting the pods');
      const newIps = await waitNewPodsReady(lab, app, replicas, oldPods);
      await waitEndpoints(lab, service, newIps);
      await waitKubeProxy(lab, service, newIps);
      return { answeredBefore: before.served_by, oldPods, oldIps: endpoints.stdout.trim().split(/\s+/) };
    },
  };
}

/** The addresses in a Service's EndpointSlices, as kubectl prints them. */
export const endpointAddresses = (lab: KindLab, service: string) =>
  lab.cluster.kubectl(['-n', lab.namespace, 'get', 'endpointslices', '-l', `kubernetes.io/service-name=${service}`, '-o', 'jsonpath={.items[*].endpoints[*].addresses[*]}']);

/** Waits, by watch, until `replicas` pods of the Deployment that are not among `oldPods` are Ready; returns their IPs. */
async function waitNewPodsReady(lab: KindLab, app: string, replicas: number, oldPods: readonly string[]): Promise<string[]> {
  const ready = new Map<string, string>();
  await lab.client.waitFor<V1Pod>(
    `/api/v1/namespaces/${lab.namespace}/pods`,
    { labelSelector: `app=${app}` },
    (pod, phase) => {
      const name = pod.metadata?.name ?? '';
      if (oldPods.includes(name)) return false;
      if (phase !== 'DELETED' && pod.status?.podIP && pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) ready.set(name, pod.status.podIP);
      else ready.delete(name);
      return ready.size >= replicas;
    },
    `${replicas} new pods of ${app} Ready`,
  );
  return [...ready.values()];
}
