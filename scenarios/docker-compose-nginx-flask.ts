/**
 * docker-compose-nginx-flask — article 001's Docker half: Flask (service
 * model_test, port 6001) behind nginx (port 9001, the article's default.conf),
 * started by Docker Compose v2. The same compose file runs as two projects,
 * one per proxy_pass target the article discusses; a toolbox client on each
 * project's network requests nginx. Plus article 002's claim that `up` makes
 * a new network (D13).
 */
import { docker } from '../src/environment/environment.ts';
import { fileURLToPath } from 'node:url';
import { composeCreatesNetwork, composeServiceAddresses, composeUpAgainNewNetwork, throughNginx } from '../src/probes/compose-checks.ts';
import { defineScenario } from '../src/scenario/scenario.ts';
import { Expect } from '../src/verdict/expect.ts';
import { composeProject } from '../src/workloads/compose-project.ts';
import { runResourceName } from '../src/lab/names.ts';

/** The two proxy_pass targets of article 001: the service name (right) and the loopback (wrong, says the article). */
export const byServiceName = 'http://model_test:6001';
export const byLoopback = 'http://127.0.0.1:6001';

export const nginxFlask = (proxyPass: string) =>
  composeProject({
    file: fileURLToPath(new URL('compose/nginx-flask/compose.yaml', import.meta.url)),
    images: { NP_FLASK_IMAGE: 'flask', NP_NGINX_IMAGE: 'nginx', NP_TOOLBOX_IMAGE: 'toolbox' },
    env: { NGINX_PROXY_PASS: proxyPass },
    client: 'client',
    description: `docker compose project: nginx :9001 (proxy_pass ${proxyPass}) → Flask model_test :6001, client on <project>_default`,
  });

export default defineScenario({
  name: 'docker-compose-nginx-flask',
  title: 'nginx in front of Flask under Docker Compose: service name vs 127.0.0.1 (article 001)',
  environment: docker(),
  workloads: {
    byname: nginxFlask(byServiceName),
    loopback: nginxFlask(byLoopback),
  },
  claims: [
    {
      id: 'D4',
      article: '001',
      from: 'byname',
      says: "`proxy_pass http://model_test:6001;` works: nginx finds the Flask container by its name and forwards 9001 to model_test's 6001",
      expect: Expect.httpFrom(200, 'model_test'),
      attempts: [throughNginx(byServiceName)],
      why: {
        'http-status':
          "200 is Flask's own answer relayed by nginx: on the project's network Docker's embedded DNS (127.0.0.11) resolves the service name model_test to the Flask container's address, so nginx connects there; a 502 would mean that connect failed (the error log line says why)",
        dns: 'the client could not resolve nginx: it is not on the project network',
        refused: 'nothing listens on nginx:9001: nginx did not load the configuration',
      },
    },
    {
      id: 'D5',
      article: '001',
      from: 'loopback',
      says: "`proxy_pass http://127.0.0.1:6001;` must not be used: the two containers have different IPs, so the request goes to nginx's own port 6001, not Flask's",
      expect: Expect.httpStatus(502),
      attempts: [throughNginx(byLoopback)],
      why: {
        'http-status':
          "502 Bad Gateway is nginx's own answer: 127.0.0.1 inside the nginx container is nginx's own loopback (its own network namespace), where nothing listens on 6001, so its connect() is refused (111: Connection refused, in its error log); Flask listens in its own container's namespace. A 200 would mean the containers share a network namespace (network_mode: service:…, as a Kubernetes pod does)",
      },
    },
    {
      id: 'D6',
      article: '001',
      from: 'byname',
      says: '`docker inspect` shows the nginx and Flask containers with different IP addresses (192.168.48.3 and 192.168.48.2, /20): one network, two addresses',
      expect: Expect.holds('different IPs, same subnet'),
      attempts: [composeServiceAddresses(['nginx', 'model_test'])],
      why: {
        fact: "each container has its own network namespace and its own veth on the project's bridge; Docker's IPAM hands each an address from the one subnet it gave the network (the article's 192.168.48.0/20 is such a pool, chosen when 172.17-31 were taken)",
      },
    },
    {
      id: 'D13',
      article: '002',
      from: 'byname',
      says: '`docker-compose up` creates a new Docker network (docker-compose를 사용하게 되면 `docker-compose up`명령을 할때 마다 신규 Docker Network가 생성된다)',
      expect: Expect.holds('a new network'),
      attempts: [
        { ...composeCreatesNetwork(), half: 'docker-compose up creates a new Docker network' },
        { ...composeUpAgainNewNetwork(), half: 'every time docker-compose up runs' },
      ],
      preconditions: [`each run's compose project is named ${runResourceName('<run>', '<workload>')}, so its network cannot exist before this run's first up`],
      why: {
        fact: 'compose puts a project\'s services on a network of its own, `<project>_default`, created at the first `up` of the project; a later `up` of the same project reuses it, and `down` removes it',
      },
    },
  ],
});
