import { BlockList } from 'node:net';
import { hostExec } from '../exec/host-exec.ts';
import type { AttemptSpec } from '../scenario/claim.ts';
import { asComposeProject } from '../workloads/compose-project.ts';
import { httpGet } from './http-get.ts';
import { networksExist } from './engine-checks.ts';

/**
 * A request to nginx in a compose project whose default.conf has
 * `proxy_pass <target>`: the client service GETs nginx, and the evidence
 * carries what nginx ran with (its default.conf, its listening sockets) and
 * what it logged (the error log, where a failed upstream connect() shows).
 */
export function throughNginx(target: string, options: { service?: string; port?: number } = {}): AttemptSpec {
  const service = options.service ?? 'nginx';
  const port = options.port ?? 9001;
  const get = httpGet(service, port);
  return {
    connection: (env) => `proxy_pass ${target} (${get.connection(env)})`,
    async probe(source, env) {
      const nginx = asComposeProject(source).services[service];
      if (!nginx) throw new Error(`${source.name} has no ${service} service`);
      const conf = await nginx.exec(['cat', '/etc/nginx/conf.d/default.conf']);
      if (!conf.stdout.includes(`proxy_pass ${target};`)) throw new Error(`${service}'s default.conf does not say proxy_pass ${target}:\n${conf.stdout}`);
      const probed = await get.probe(source, env);
      const [errorLog, listening] = await Promise.all([nginx.exec(['tail', '-n', '5', '/var/log/nginx/error.log']), nginx.exec(['ss', '-ltn'])]);
      const upstreamError = upstreamErrorLine(errorLog.stdout);
      return {
        ...probed,
        evidence: [conf, ...probed.evidence, errorLog, listening],
        detail: [probed.detail, upstreamError && `nginx error log: ${upstreamError}`].filter(Boolean).join('; '),
      };
    },
  };
}

/** The last line of an nginx error log about an upstream, without its timestamp prefix. */
export function upstreamErrorLine(log: string): string | undefined {
  const line = log
    .split('\n')
    .filter((l) => l.includes('upstream'))
    .at(-1);
  return line?.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /, '').trim();
}

/**
 * The services' addresses on the project's network: all different, all inside
 * the subnet compose gave that network (`docker inspect` of each container).
 */
export function composeServiceAddresses(services: readonly string[]): AttemptSpec {
  return {
    connection: () => `docker inspect ${services.join(' ')} (IPAddress on <project>_default)`,
    async probe(source) {
      const project = asComposeProject(source);
      const containers = services.map((s) => project.services[s]?.containerName ?? s);
      const inspected = await hostExec(['docker', 'inspect', '--format', '{{.Name}} {{json .NetworkSettings.Networks}}', ...containers]);
      const network = await hostExec(['docker', 'network', 'inspect', project.network.dockerName, '--format', '{{json .IPAM.Config}}']);
      const addresses = services.map((s) => project.services[s]?.addresses.default);
      const missing = services.filter((_, i) => !addresses[i]);
      if (missing.length > 0) throw new Error(`no address on ${project.network.dockerName} for ${missing.join(', ')}`);
      const distinct = new Set(addresses).size === addresses.length;
      const inside = addresses.every((a) => inSubnet(a!, project.network.subnet));
      const observed = `${services.map((s, i) => `${s} ${addresses[i]}`).join(', ')}; ${project.network.dockerName} subnet ${project.network.subnet}${distinct ? '' : '; addresses repeat'}${inside ? '' : '; not all inside the subnet'}`;
      return { outcome: { kind: 'fact', holds: distinct && inside, observed }, evidence: [inspected, network] };
    },
  };
}

/** Whether an IPv4 address lies inside a CIDR block. */
export function inSubnet(address: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const block = new BlockList();
  block.addSubnet(base!, Number(bits), 'ipv4');
  return block.check(address, 'ipv4');
}

/**
 * `docker compose up` made the project's own `<project>_default` network: it
 * is listed, it did not exist before `up`, and compose's labels say it is the
 * project's default network. A second `up` of the same project is recorded
 * too: whether it made another network or kept the first.
 */
export function composeDefaultNetwork(): AttemptSpec {
  return {
    connection: () => 'docker network ls after docker compose up (<project>_default)',
    async probe(source, env) {
      const project = asComposeProject(source);
      const listed = await networksExist([project.network.dockerName]).probe(source, env);
      const inspected = await hostExec(['docker', 'network', 'inspect', project.network.dockerName, '--format', '{{.Name}} {{.Driver}} {{.Id}} {{json .Labels}}']);
      // Unchanged configuration: compose leaves the running containers as they are.
      const again = await project.compose(['--progress', 'plain', 'up', '--detach', '--wait']);
      const afterAgain = await hostExec(['docker', 'network', 'ls', '--filter', `label=com.docker.compose.project=${project.project}`, '--format', '{{.ID}} {{.Name}}']);
      const labels = project.network.labels;
      const byCompose = labels['com.docker.compose.project'] === project.project && labels['com.docker.compose.network'] === 'default';
      const isListed = listed.outcome.kind === 'fact' && listed.outcome.holds;
      const holds = isListed && byCompose && !project.networkExistedBefore;
      const networksAfterAgain = afterAgain.stdout.split('\n').filter(Boolean);
      const second =
        again.exitCode !== 0
          ? `a second up failed (exit ${again.exitCode})`
          : networksAfterAgain.length === 1 && project.network.id.startsWith(networksAfterAgain[0]!.split(' ')[0]!)
            ? 'a second up of the project kept it (same id, no new network)'
            : `after a second up the project has: ${networksAfterAgain.join(', ')}`;
      const observed = [
        `${project.network.dockerName} ${isListed ? 'listed' : 'not listed'}`,
        project.networkExistedBefore ? 'it existed before up' : 'absent before up',
        byCompose ? 'labelled com.docker.compose.network=default by compose' : 'not labelled by compose as the default network',
        `bridge ${project.network.bridge}, subnet ${project.network.subnet}`,
        second,
      ].join('; ');
      return { outcome: { kind: 'fact', holds, observed }, evidence: [...project.record, ...listed.evidence, inspected, again, afterAgain] };
    },
  };
}
