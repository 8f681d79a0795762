import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { macvlanNetwork } from '../../src/environment/docker/lab-parent-network.ts';
import { userNetwork } from '../../src/environment/docker/lab-network.ts';
import { docker } from '../../src/environment/environment.ts';
import { ScenarioError } from '../../src/errors.ts';
import { networksExist } from '../../src/probes/engine-checks.ts';
import { buildTopology } from '../../src/report/topology.ts';
import { loadScenarioFrom, scenarioNames } from '../../src/scenario/registry.ts';
import { defineScenario, type ScenarioSpec } from '../../src/scenario/scenario.ts';
import { Expect } from '../../src/verdict/expect.ts';
import { container } from '../../src/workloads/lab-container.ts';
import { parseNetworkMode, whatCanBeWritten } from '../../src/workloads/network-mode.ts';
import type { StartedWorkload } from '../../src/workloads/workload.ts';

const scenario = (workloads: ScenarioSpec['workloads'], networks: ScenarioSpec['networks'] = {}): ScenarioSpec => ({
  name: 't',
  title: 't',
  environment: docker(),
  networks,
  workloads,
  claims: [{ id: 'D7', article: '002', from: 'host', says: 'x', expect: Expect.holds('x'), attempts: [networksExist(['bridge'])], why: {} }],
});
const define = (workloads: ScenarioSpec['workloads'], networks?: ScenarioSpec['networks']) => () => defineScenario(scenario(workloads, networks));
const toolbox = (network?: string, more: Partial<Parameters<typeof container>[0]> = {}) => container({ image: 'toolbox', network, ...more });

describe('network modes a scenario can write', () => {
  it('parses Docker’s modes, container:<workload> and declared networks', () => {
    expect(['bridge', 'host', 'none', 'container:web', 'front'].map(parseNetworkMode)).toEqual([
      { kind: 'bridge' },
      { kind: 'host' },
      { kind: 'none' },
      { kind: 'container', workload: 'web' },
      { kind: 'network', name: 'front' },
    ]);
  });

  it('accepts every mode with no declaration but the networks themselves', () => {
    const spec = defineScenario(
      scenario(
        {
          web: toolbox(),
          side: toolbox('container:web'),
          solo: toolbox('none'),
          local: toolbox('host'),
          lanner: toolbox('lan', { alsoOn: ['sealed', 'bridge'] }),
        },
        { lan: macvlanNetwork(), sealed: userNetwork({ internal: true, subnet: '198.18.213.0/24' }) },
      ),
    );
    expect(spec.workloads.side!.dependsOn).toEqual(['web']);
    expect(spec.networks!.sealed!.hostResources).toEqual(['subnet 198.18.213.0/24']);
  });

  it('lists what can be written: the modes, the other workloads to join, the declared networks', () => {
    expect(whatCanBeWritten({ declared: ['front', 'back'], workloads: ['web', 'db'] }, 'db')).toBe(
      "'bridge', 'host', 'none', 'container:<workload>' (container:web), a network declared under networks (front, back)",
    );
    expect(whatCanBeWritten({ declared: [], workloads: ['web'] }, 'web')).toBe("'bridge', 'host', 'none', 'container:<workload>' (no other workload to join), a network declared under networks (none declared)");
  });

  it('says, for a network nobody declared, that it is neither a mode nor declared, and what can be written instead', () => {
    expect(define({ web: toolbox('backstage'), db: toolbox() }, { front: userNetwork() })).toThrow(
      `workload web joins network "backstage", which the scenario does not declare under networks and which is not a Docker network mode; write one of: 'bridge', 'host', 'none', 'container:<workload>' (container:db), a network declared under networks (front)`,
    );
  });

  it('says that container:<workload> must name another workload, listing them', () => {
    expect(define({ web: toolbox(), side: toolbox('container:wbe') })).toThrow(
      `workload side joins the network namespace of "wbe", which is not a workload of the scenario; write one of: 'bridge', 'host', 'none', 'container:<workload>' (container:web), a network declared under networks (none declared)`,
    );
    expect(define({ web: toolbox('container:web') })).toThrow('workload web joins its own network namespace ("container:web"): name another workload');
  });

  it('refuses host, none and container:<workload> as a network joined after start', () => {
    expect(define({ web: toolbox('bridge', { alsoOn: ['host'] }) })).toThrow('workload web is connected to "host" after it starts, which Docker cannot do');
    expect(define({ web: toolbox(), side: { ...toolbox(), networks: ['container:web'] } })).toThrow('a shared namespace can only be the workload\'s network');
    expect(define({ web: toolbox('bridge', { alsoOn: ['nowhere'] }) })).toThrow('workload web joins network "nowhere", which the scenario does not declare under networks');
  });

  it('finds a circle made of shared namespaces', () => {
    expect(define({ a: toolbox('container:b'), b: toolbox('container:a') })).toThrow('workloads depend on each other in a circle: a → b → a');
  });

  it('refuses, when the file loads, what belongs to the namespace’s owner beside container:<workload>', () => {
    expect(() => toolbox('container:web', { publish: [{ host: 8080, container: 80 }] })).toThrow(ScenarioError);
    expect(() => toolbox('container:web', { publish: [{ host: 8080, container: 80 }], aliases: ['db'] })).toThrow(
      "a workload on network 'container:web' shares that namespace and cannot also have publish (-p: publish the port on the owner; it serves this namespace), aliases (give them to the owner: its names reach this namespace)",
    );
  });

  it('describes macvlan, ipvlan and bridge options as docker network create would read them', () => {
    expect(macvlanNetwork().description).toBe('macvlan network (bridge mode) on a lab-owned parent link with no way off the machine');
    expect(userNetwork({ internal: true, subnet: '198.18.213.0/24', options: { 'com.docker.network.bridge.enable_icc': 'false' } }).description).toBe(
      'user-defined bridge network (internal) --subnet 198.18.213.0/24 -o com.docker.network.bridge.enable_icc=false',
    );
  });
});

describe('the topology of a shared namespace', () => {
  it('draws the joining container inside its owner’s namespace, not as a second holder of its address', () => {
    const workload = (name: string, over: Partial<StartedWorkload> = {}): StartedWorkload => ({
      name,
      description: name,
      containerName: `np-t-${name}`,
      exec: () => Promise.reject(new Error('not run in this test')),
      contextCommands: [],
      addresses: { bridge: '172.17.0.5' },
      ...over,
    });
    const facts = { hostAddress: '10.0.0.2', hostInterface: 'eth0', bridgeGateway: '172.17.0.1', bridgeSubnet: '172.17.0.0/16', serverVersion: '20.10' } as never;
    const topology = buildTopology({ facts, networks: {}, workloads: { app: workload('app'), db: workload('db', { place: { kind: 'container', sharesNamespaceOf: 'app' } }) } }, [], 't');
    expect(topology.links).toContainEqual({ from: 'w:db', to: 'w:app', label: 'shares the namespace' });
    expect(topology.nodes.filter((n) => n.addresses?.includes('172.17.0.5')).map((n) => n.id)).toEqual(['w:app']);
  });
});

describe('the fixture scenarios of each mode', () => {
  const fixtures = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url));
  it('load through the registry with everything declared in their own file', async () => {
    expect(await scenarioNames(fixtures)).toEqual(['modes-container', 'modes-internal', 'modes-macvlan']);
    const [sidecar, internal, macvlan] = await Promise.all(['modes-container', 'modes-internal', 'modes-macvlan'].map((name) => loadScenarioFrom(fixtures, name)));
    expect(sidecar!.workloads.db!.dependsOn).toEqual(['app']);
    expect(internal!.networks!.sealed!.description).toBe('user-defined bridge network (internal) --subnet 198.18.213.0/24');
    expect(macvlan!.networks!.segment!.description).toMatch(/^macvlan network \(bridge mode\)/);
  });
});
