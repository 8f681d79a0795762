/**
 * docker-host-db — article 000's Docker half: Django in a container on the
 * default bridge, PostgreSQL on the host. Which HOST reaches the host's
 * database? Plus the engine facts the article leans on (D7, D8, D19).
 */
import { docker } from '../src/environment/environment.ts';
import { djangoDatabase } from '../src/probes/django-database.ts';
import { bridgeAddressing, networksExist, vethPairOnBridge } from '../src/probes/engine-checks.ts';
import { Found } from '../src/probes/lab-value.ts';
import { defineScenario } from '../src/scenario/scenario.ts';
import { Expect } from '../src/verdict/expect.ts';
import { djangoContainer } from '../src/workloads/django-container.ts';
import { hostPostgres } from '../src/workloads/host-postgres.ts';

/** Article 000's DATABASES block: NAME/USER postgres, PASSWORD mysecretpassword, PORT 5432. */
export const articleDatabase = { port: 5432, user: 'postgres', password: 'mysecretpassword', database: 'postgres' };

/** The lab's choice that decides whether any address reaches the database at all, as article 000 makes it. */
const hostDbListens = "the host's PostgreSQL listens on every address (listen_addresses = '*') and pg_hba accepts password logins from any address, as article 000 sets it up";

export default defineScenario({
  name: 'docker-host-db',
  title: "Django in a container reaching PostgreSQL on the Docker host (article 000)",
  environment: docker(),
  workloads: {
    db: hostPostgres(articleDatabase),
    django: djangoContainer({ network: 'bridge' }),
    // The contrast for D2: with the host's network namespace, localhost is the host's.
    'django-host': djangoContainer({ network: 'host' }),
  },
  claims: [
    {
      id: 'D1',
      article: '000',
      from: 'django',
      says: "'HOST': '172.17.0.1' (docker0, the Docker host gateway) reaches the host's PostgreSQL",
      expect: Expect.connectsTo('db'),
      attempts: [djangoDatabase({ HOST: '172.17.0.1', PORT: 5432 }), djangoDatabase({ HOST: Found.bridgeGateway, PORT: 5432 })],
      preconditions: [hostDbListens],
      why: {
        success: "docker0's address is one of the host's own addresses; the container's default route points at it, and PostgreSQL listens on all host addresses",
        timeout: 'the host dropped the connection from the bridge (a firewall INPUT rule), or docker0 does not have this address here',
        refused: 'the host answered but nothing listens on that address and port (listen_addresses does not cover docker0)',
        'no-route': 'no bridge on this host has this address: docker0 was configured with another subnet',
      },
    },
    {
      id: 'D2',
      article: '000',
      from: 'django',
      says: "'HOST': 'localhost' / '127.0.0.1' does not reach the host: localhost is the container itself",
      expect: Expect.refused,
      attempts: [
        djangoDatabase({ HOST: 'localhost', PORT: 5432 }),
        djangoDatabase({ HOST: '127.0.0.1', PORT: 5432 }),
        { ...djangoDatabase({ HOST: '127.0.0.1', PORT: 5432 }), from: 'django-host', role: 'contrast', expect: Expect.connectsTo('db') },
      ],
      preconditions: [hostDbListens],
      why: {
        refused: "127.0.0.1 inside the container is the container's own loopback; PostgreSQL listens in the host's namespace, so nothing answers there",
        success: "the container shares the host's network namespace (--network host), so its loopback is the host's: the contrast, where the same string does reach the host's database",
      },
    },
    {
      id: 'D3',
      article: '000',
      from: 'django',
      says: "'HOST': the host's LAN address (its primary interface) reaches the host's PostgreSQL",
      expect: Expect.connectsTo('db'),
      attempts: [djangoDatabase({ HOST: Found.hostAddress, PORT: 5432 })],
      preconditions: [hostDbListens],
      why: {
        success: 'the host delivers traffic for any of its own addresses locally, whichever interface it arrives on; no packet leaves the machine',
        timeout: 'a host firewall drops connections from the bridge to the LAN address',
      },
    },
    {
      id: 'D7',
      article: '002',
      from: 'host',
      says: '`docker network ls` shows the networks bridge, host and none',
      expect: Expect.holds('bridge, host, none exist'),
      attempts: [networksExist(['bridge', 'host', 'none'])],
      why: { fact: 'dockerd creates these three networks at start; they cannot be removed' },
    },
    {
      id: 'D8',
      article: '002',
      from: 'host',
      says: 'docker0 is 172.17.0.1 and the default bridge subnet is 172.17.0.0/16',
      expect: Expect.holds('gateway 172.17.0.1, subnet 172.17.0.0/16'),
      attempts: [bridgeAddressing({ gateway: '172.17.0.1', subnet: '172.17.0.0/16' })],
      why: { fact: "dockerd's default bip; daemon.json \"bip\" or a clash with a host route moves it" },
    },
    {
      id: 'D19',
      article: '004',
      from: 'django',
      says: "the container's eth0@ifN and a host veth* on docker0 are the two ends of one veth pair",
      expect: Expect.holds('veth pair joins container and docker0'),
      attempts: [vethPairOnBridge('docker0')],
      why: { fact: "the container's eth0 reports its peer's ifindex; that index on the host is a veth enslaved to docker0" },
    },
  ],
});
