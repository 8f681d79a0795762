import { kindLabOf } from '../environment/kind/index.ts';
import { traefikRoutersPath } from '../workloads/k8s-ingress.ts';
import type { StartedEnvironment } from '../environment/started-environment.ts';
import type { ExecResult } from '../exec/exec-result.ts';
import type { StartedWorkload } from '../workloads/workload.ts';
import { checkFact, checked, type CheckContext } from './check.ts';
import { runCurl } from './curl.ts';
import { describeHost, noteFor, onHost, type HostRef } from './lab-value.ts';
import type { Observation, Probe } from './probe.ts';

interface IngressJson {
  spec?: { ingressClassName?: string; rules?: { host?: string; http?: { paths?: { path?: string; backend?: { service?: { name?: string } } }[] } }[] };
  status?: { loadBalancer?: { ingress?: unknown[] } };
}
interface RouterJson {
  name?: string;
  rule?: string;
  provider?: string;
  service?: string;
  tls?: unknown;
}

/** Traefik's rule for a path of an Ingress: PathPrefix("/a"), after Host("h") where the rule names a host (backquotes are its other quoting). */
const routesPath = (rule: string | undefined, path: { path: string; host?: string }) => {
  const quoted = rule?.replace(/`/g, '"') ?? '';
  return quoted.includes(`PathPrefix("${path.path}")`) && (path.host === undefined || quoted.includes(`Host("${path.host}")`));
};

/**
 * Reads an Ingress (`kubectl get ingress -o json`) and the routers the
 * controller built (Traefik's API, through the API server's pod proxy): holds
 * when every path of the Ingress has a router whose rule names that path
 * and, under a rule for a host, that host (Traefik writes Host("h") &&
 * PathPrefix("/a"); backquotes are its other quoting). `with TLS` asks
 * each of those routers to serve HTTPS (Traefik's `tls` on the router);
 * `not routed` the opposite (an Ingress no controller claims: no router).
 */
export function ingressRouted(ingress: string, controller: string, asked: 'routed' | 'routed with TLS' | 'not routed' = 'routed'): Probe {
  const connection = `kubectl get ingress ${ingress} -o json; Traefik's /api/http/routers (pod of ${controller})`;
  return {
    describe: connection,
    run: (_source, env) =>
      checkFact(connection, async (check) => {
        const lab = kindLabOf(env);
        const kubectl = (args: readonly string[]) => lab.cluster.kubectl(['-n', lab.namespace, ...args]);
        const object = check.json<IngressJson>(await check.must(kubectl(['get', 'ingress', ingress, '-o', 'json']), `Ingress ${ingress}`), `Ingress ${ingress}`);
        const paths = (object.spec?.rules ?? []).flatMap((r) =>
          (r.http?.paths ?? []).map((p) => ({ path: check.need(p.path, 'a path of the Ingress'), service: p.backend?.service?.name ?? '?', ...(r.host ? { host: r.host } : {}) })),
        );
        if (paths.length === 0) return { holds: false, observed: `Ingress ${ingress} has no paths` };
        const pod = check.need(env.workloads[controller]?.containerName, `the pod of ${controller}`);
        const raw = await check.must(lab.cluster.kubectl(['get', '--raw', traefikRoutersPath(lab.namespace, pod)]), "Traefik's routers");
        const routers = check.json<RouterJson[]>(raw, "Traefik's routers").filter((r) => r.provider === 'kubernetes');
        const routed = paths.map((p) => ({ ...p, router: routers.find((r) => routesPath(r.rule, p)) }));
        const served = (p: (typeof routed)[number]) => p.router !== undefined && (asked !== 'routed with TLS' || p.router.tls !== undefined);
        const address = (object.status?.loadBalancer?.ingress ?? []).length > 0 ? JSON.stringify(object.status!.loadBalancer!.ingress) : 'none (ADDRESS empty)';
        const shown = routed
          .map((p) => `${p.host ?? ''}${p.path} → ${p.service}: ${p.router ? `router ${p.router.name} (${p.router.rule} → ${p.router.service}${p.router.tls ? ', TLS' : ''})` : 'no router'}`)
          .join('; ');
        const className = object.spec?.ingressClassName ? `class ${object.spec.ingressClassName}` : 'no class';
        return {
          holds: asked === 'not routed' ? routed.every((p) => !p.router) : routed.every(served),
          observed: `Ingress ${ingress} (${className}, address ${address}): ${shown}`,
        };
      }),
  };
}

/** The certificate curl -v says the server sent (OpenSSL's words: `*  subject: CN=…`, `*  issuer: CN=…`). */
export function servedCertificate(verbose: string): string | undefined {
  const field = (name: string) => new RegExp(`^\\*\\s+${name}: (.*)$`, 'm').exec(verbose)?.[1]?.trim();
  const subject = field('subject');
  return subject ? `subject ${subject}, issuer ${field('issuer') ?? '?'}` : undefined;
}

/** curl's exit when the CA it was given did not verify the server's certificate (curl(1) EXIT CODES). */
const notVerifiedExit = 60;

/** How the client reaches an Ingress host: `--resolve` sends the name (Host header, and SNI over https) to the node's address. */
interface ByName {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly address: string;
  readonly resolve: readonly string[];
}

/**
 * Has the source trust the lab's CA alone: its ca.crt, read from the Secret,
 * written as the only file of a folder of its own, given to curl as its CA
 * file and its CA folder (so no CA of the system is trusted).
 */
async function trustLabCa(check: CheckContext, source: StartedWorkload, env: StartedEnvironment, secret: string): Promise<string[]> {
  const lab = kindLabOf(env);
  const read = await check.must(lab.cluster.kubectl(['-n', lab.namespace, 'get', 'secret', secret, '-o', 'jsonpath={.data.ca\\.crt}']), `Secret ${secret}`);
  const ca = Buffer.from(check.need(read.stdout.trim() || undefined, `ca.crt of Secret ${secret}`), 'base64').toString();
  const folder = `/tmp/netproof-ca-${secret}`;
  await check.must(source.exec(['sh', '-c', `mkdir -p ${folder} && printf '%s' "$LAB_CA" > ${folder}/ca.pem`], { env: { LAB_CA: ca } }), "the lab's CA, written in the client");
  return ['--cacert', `${folder}/ca.pem`, '--capath', folder];
}

/** What certificate was served for the name: from the verified attempt's -v trace, or, when the lab's CA did not verify it, from a second look without verifying (-k). */
async function certificateSeen(check: CheckContext, source: StartedWorkload, target: ByName, attempt: ExecResult): Promise<{ verified: boolean; seen: string }> {
  if (attempt.exitCode !== notVerifiedExit) return { verified: true, seen: `certificate served for SNI ${target.name}: ${servedCertificate(attempt.stderr) ?? 'not shown'}, verified against the lab's CA` };
  const look = await check.record(source.exec(['curl', '-sS', '-k', '-v', '-o', '/dev/null', '--max-time', '5', ...target.resolve, target.url]));
  return { verified: false, seen: `the lab's CA did not verify the certificate served for SNI ${target.name}; read without verifying: ${servedCertificate(look.stderr) ?? 'not shown'}` };
}

/** A probe by host name against a node's port: `connection` is the curl command, with the node's address read at run time. */
function byNameProbe(name: string, node: HostRef, port: number, https: string | undefined, run: (target: ByName, connection: string, source: StartedWorkload, env: StartedEnvironment) => Promise<Observation>): Probe {
  const url = `${https ? 'https' : 'http'}://${name}:${port}/`;
  const connection = (address: string) => `curl --resolve ${name}:${port}:${address}${https ? ` --cacert <ca.crt of Secret ${https}>` : ''} ${url}`;
  const unresolved = connection(describeHost(node));
  return {
    describe: unresolved,
    note: noteFor(node),
    run: (source, env) => onHost(node, env, unresolved, (address) => run({ name, port, url, address, resolve: ['--resolve', `${name}:${port}:${address}`] }, connection(address), source, env)),
  };
}

/**
 * A request for an Ingress host, as a client outside the cluster makes it:
 * `curl --resolve <host>:<port>:<node address>` sends the name as the Host
 * header (and, for https, as the TLS SNI) to the node's port. With `https`,
 * the client trusts only the lab's CA, read from the Secret's ca.crt: curl
 * verifies the certificate served for the name against it (a certificate it
 * does not verify is no answer). The certificate's subject and issuer go in
 * the detail, with the server that answered.
 */
export function requestByHost(name: string, node: HostRef, port: number, https?: { readonly caSecret: string }): Probe {
  return byNameProbe(name, node, port, https?.caSecret, (target, connection, source, env) => {
    const at = { host: target.address, port };
    if (!https) return runCurl(source, target.resolve, target.url, 5, connection, at);
    return checked(connection, async (check) => {
      const trust = await trustLabCa(check, source, env, https.caSecret);
      const answered = await runCurl(source, ['-v', ...trust, ...target.resolve], target.url, 5, connection, at);
      const { seen } = await certificateSeen(check, source, target, answered.evidence[0]!);
      const by = answered.outcome.kind === 'http-status' ? `; HTTP ${answered.outcome.status} from ${answered.answeredBy ?? 'a server that did not name itself'}` : '';
      return { ...answered, detail: `${seen}${by}` };
    });
  });
}

/**
 * Whether the certificate served for an Ingress host name (the SNI) is one
 * the lab's CA verifies, for that name: a fact read with curl trusting the
 * lab's CA alone (exit 0 verified, 60 not; any other exit is no check).
 */
export function labCertificateServed(name: string, node: HostRef, port: number, caSecret: string): Probe {
  return byNameProbe(name, node, port, caSecret, (target, connection, source, env) =>
    checkFact(connection, async (check) => {
      const trust = await trustLabCa(check, source, env, caSecret);
      const attempt = await check.must(source.exec(['curl', '-sS', '-v', '-o', '/dev/null', '--max-time', '5', ...trust, ...target.resolve, target.url]), `the TLS handshake for ${name}`, [0, notVerifiedExit]);
      const { verified, seen } = await certificateSeen(check, source, target, attempt);
      return { holds: verified, observed: seen };
    }),
  );
}
