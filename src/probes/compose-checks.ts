import { BlockList } from 'node:net';
import type { EngineHost } from '../environment/docker/index.ts';
import { asComposeProject } from '../workloads/compose-project.ts';
import { checked, checkFact } from './check.ts';
import { httpGet } from './http-get.ts';
import type { Probe } from './probe.ts';
import { composeUpAgain } from '../setup/compose-up-again.ts';
import { madeBy, type ObservingProbe } from '../setup/setup.ts';

/**
 * A request to nginx in a compose project whose default.conf has
 * `proxy_pass <target>`: the client service GETs nginx, and the evidence
 * carries what nginx ran with (its default.conf, its listening sockets) and
 * what it logged. An nginx that exited at start (it resolves proxy_pass
 * names when it loads its configuration) is an observation too: its log says
 * why, and the client's request then fails.
 */
export function throughNginx(target: string, options: { service?: string; port?: number } = {}): Probe {
  const service = options.service ?? 'nginx';
  const get = httpGet(service, options.port ?? 9001);
  const describe = `proxy_pass ${target} (${get.describe})`;
  return {
    describe,
    run: (source, env) =>
      checked(describe, async (check) => {
        const project = asComposeProject(source);
        const nginx = check.need(project.services[service], `${service} in compose project ${project.project}`);
        const state = (await check.must(env.host.docker(['inspect', '--format', '{{.State.Status}} exit={{.State.ExitCode}}', nginx.containerName]), `inspecting ${service}`)).stdout.trim();
        const running = state.startsWith('running');
        if (running) {
          const conf = await check.must(nginx.exec(['cat', '/etc/nginx/conf.d/default.conf']), `reading ${service}'s default.conf`);
          check.need(conf.stdout.includes(`proxy_pass ${target};`) || undefined, `proxy_pass ${target}; in ${service}'s default.conf`);
        }
        const requested = await get.run(source, env);
        const errorLog = running
          ? await check.record(nginx.exec(['tail', '-n', '5', '/var/log/nginx/error.log']))
          : await check.record(env.host.docker(['logs', '--tail', '5', nginx.containerName]));
        if (running) await check.record(nginx.exec(['ss', '-ltn']));
        const logged = upstreamErrorLine(errorLog.stdout + errorLog.stderr);
        return {
          outcome: requested.outcome,
          target: requested.target,
          answeredBy: requested.answeredBy,
          evidence: requested.evidence,
          detail: [running ? undefined : `${service} is not running (${state})`, requested.detail, logged && `nginx: ${logged}`].filter(Boolean).join('; '),
        };
      }),
  };
}

/** The last line of an nginx log about an upstream (a failed connect, an unresolvable proxy_pass host), without its timestamp. */
export function upstreamErrorLine(log: string): string | undefined {
  const line = log
    .split('\n')
    .filter((l) => /upstream|host not found/.test(l))
    .at(-1);
  return line?.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /, '').trim();
}

/**
 * The services' addresses on the project's network: all different, all inside
 * the subnet compose gave that network (`docker inspect` of each container).
 */
export function composeServiceAddresses(services: readonly string[]): Probe {
  const describe = `docker inspect ${services.join(' ')} (IPAddress on <project>_default)`;
  return {
    describe,
    run: (source, env) =>
      checkFact(describe, async (check) => {
        const project = asComposeProject(source);
        const containers = services.map((s) => check.need(project.services[s], `service ${s}`).containerName);
        await check.must(env.host.docker(['inspect', '--format', '{{.Name}} {{json .NetworkSettings.Networks}}', ...containers]), 'inspecting the services');
        await check.must(env.host.docker(['network', 'inspect', project.network.dockerName, '--format', '{{json .IPAM.Config}}']), 'inspecting the project network');
        const addresses = services.map((s) => check.need(project.services[s]!.addresses.default, `${s}'s address on ${project.network.dockerName}`));
        const distinct = new Set(addresses).size === addresses.length;
        const inside = addresses.every((a) => inSubnet(a, project.network.subnet));
        const observed = `${services.map((s, i) => `${s} ${addresses[i]}`).join(', ')}; ${project.network.dockerName} subnet ${project.network.subnet}${distinct ? '' : '; addresses repeat'}${inside ? '' : '; not all inside the subnet'}`;
        return { holds: distinct && inside, observed };
      }),
  };
}

/** Whether an IPv4 address lies inside a CIDR block. */
export function inSubnet(address: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const block = new BlockList();
  block.addSubnet(base!, Number(bits), 'ipv4');
  return block.check(address, 'ipv4');
}

const networksOf = (host: EngineHost, project: string) => host.docker(['network', 'ls', '--no-trunc', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.ID}} {{.Name}}']);

/**
 * The first `docker compose up` made the project's own `<project>_default`
 * network: listed after `up`, labelled by compose as the project's default.
 */
export function composeCreatesNetwork(): Probe {
  const describe = 'docker compose up, then docker network ls (<project>_default)';
  return {
    describe,
    run: (source, env) =>
      checkFact(describe, async (check) => {
        const project = asComposeProject(source);
        for (const done of project.record) await check.record(done);
        const listed = await check.must(networksOf(env.host, project.project), "listing the project's networks");
        const ids = listed.stdout.split('\n').filter(Boolean);
        const labels = project.network.labels;
        const byCompose = labels['com.docker.compose.project'] === project.project && labels['com.docker.compose.network'] === 'default';
        const holds = ids.some((line) => line.startsWith(project.network.id)) && byCompose;
        return { holds, observed: `after the first up: ${ids.join(', ') || 'no network'}${byCompose ? ' (labelled com.docker.compose.network=default)' : ' (not labelled by compose)'}` };
      }),
  };
}

/**
 * After `docker compose up` again, the project unchanged (the runner's
 * setup, see composeUpAgain): is there another network (a different id),
 * as "every time up runs" says, or only the first?
 */
export function composeUpAgainNewNetwork(): ObservingProbe<void> {
  const describe = 'docker compose up again (same project), then docker network ls';
  const setup = composeUpAgain();
  return {
    describe,
    setup,
    run: (source, env) =>
      checkFact(describe, async (check) => {
        madeBy(env, setup);
        const project = asComposeProject(source);
        const after = (await check.must(networksOf(env.host, project.project), "listing the project's networks")).stdout.split('\n').filter(Boolean);
        const fresh = after.filter((line) => !line.startsWith(project.network.id));
        return {
          holds: fresh.length > 0,
          observed: fresh.length > 0 ? `a new network after the second up: ${fresh.join(', ')}` : `the second up kept ${project.network.dockerName} (same id ${project.network.id.slice(0, 12)}), no new network`,
        };
      }),
  };
}
