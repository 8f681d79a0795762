import { kindLabOf } from '../environment/kind/index.ts';
import { traefikRoutersPath } from '../workloads/k8s-ingress.ts';
import { checkFact } from './check.ts';
import type { Probe } from './probe.ts';

interface IngressJson {
  spec?: { ingressClassName?: string; rules?: { http?: { paths?: { path?: string; backend?: { service?: { name?: string } } }[] } }[] };
  status?: { loadBalancer?: { ingress?: unknown[] } };
}
interface RouterJson {
  name?: string;
  rule?: string;
  provider?: string;
  service?: string;
}

/**
 * Reads an Ingress (`kubectl get ingress -o json`) and the routers the
 * controller built (Traefik's API, through the API server's pod proxy): holds
 * when every path of the Ingress has a router whose rule names that path
 * (Traefik writes PathPrefix("/a"); backquotes are its other quoting).
 * `served: false` asks the opposite (an Ingress no controller claims: no router).
 */
export function ingressRouted(ingress: string, controller: string, served = true): Probe {
  const connection = `kubectl get ingress ${ingress} -o json; Traefik's /api/http/routers (pod of ${controller})`;
  return {
    describe: connection,
    run: (_source, env) =>
      checkFact(connection, async (check) => {
        const lab = kindLabOf(env);
        const kubectl = (args: readonly string[]) => lab.cluster.kubectl(['-n', lab.namespace, ...args]);
        const object = check.json<IngressJson>(await check.must(kubectl(['get', 'ingress', ingress, '-o', 'json']), `Ingress ${ingress}`), `Ingress ${ingress}`);
        const paths = (object.spec?.rules ?? []).flatMap((r) => r.http?.paths ?? []).map((p) => ({ path: check.need(p.path, 'a path of the Ingress'), service: p.backend?.service?.name ?? '?' }));
        if (paths.length === 0) return { holds: false, observed: `Ingress ${ingress} has no paths` };
        const pod = check.need(env.workloads[controller]?.containerName, `the pod of ${controller}`);
        const raw = await check.must(lab.cluster.kubectl(['get', '--raw', traefikRoutersPath(lab.namespace, pod)]), "Traefik's routers");
        const routers = check.json<RouterJson[]>(raw, "Traefik's routers").filter((r) => r.provider === 'kubernetes');
        const routed = paths.map((p) => ({ ...p, router: routers.find((r) => r.rule?.replace(/`/g, '"').includes(`PathPrefix("${p.path}")`)) }));
        const address = (object.status?.loadBalancer?.ingress ?? []).length > 0 ? JSON.stringify(object.status!.loadBalancer!.ingress) : 'none (ADDRESS empty)';
        const shown = routed.map((p) => `${p.path} → ${p.service}: ${p.router ? `router ${p.router.name} (${p.router.rule} → ${p.router.service})` : 'no router'}`).join('; ');
        const className = object.spec?.ingressClassName ? `class ${object.spec.ingressClassName}` : 'no class';
        return {
          holds: served ? routed.every((p) => p.router) : routed.every((p) => !p.router),
          observed: `Ingress ${ingress} (${className}, address ${address}): ${shown}`,
        };
      }),
  };
}
