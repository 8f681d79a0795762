import { describe, expect, it } from 'vitest';
import { nodesFor, placeImages, type PlacementNode } from '../../src/environment/kind/image-placement.ts';
import hostDb from '../../scenarios/k8s-host-db.ts';
import podNetwork from '../../scenarios/k8s-pod-network.ts';
import services from '../../scenarios/k8s-services.ts';

const nodes: PlacementNode[] = [
  { name: 'c-control-plane', suffix: 'control-plane', schedulable: false },
  { name: 'c-worker', suffix: 'worker', schedulable: true },
  { name: 'c-worker2', suffix: 'worker2', schedulable: true },
];

/** Per image of a scenario, the nodes it is loaded into. */
const where = (workloads: Parameters<typeof placeImages>[0]) => Object.fromEntries([...placeImages(workloads)].map(([image, placement]) => [image, nodesFor(placement, nodes)]));

describe('which nodes an image is loaded into', () => {
  it('goes where any workload using it runs: pinned nodes, the nodes the scheduler may use, or every node when a workload says nothing', () => {
    expect(where([{ images: ['a'], podsOn: ['worker'] }, { images: ['a', 'b'], podsOn: ['control-plane'] }])).toEqual({ a: ['c-control-plane', 'c-worker'], b: ['c-control-plane'] });
    expect(where([{ images: ['a'], podsOn: 'scheduled' }, { images: ['a'], podsOn: ['control-plane'] }])).toEqual({ a: ['c-control-plane', 'c-worker', 'c-worker2'] });
    expect(where([{ images: ['a'], podsOn: 'scheduled' }])).toEqual({ a: ['c-worker', 'c-worker2'] });
    expect(where([{ images: ['a'] }, { images: ['a'], podsOn: [] }])).toEqual({ a: ['c-control-plane', 'c-worker', 'c-worker2'] });
    expect(where([{ images: ['a'], podsOn: [] }])).toEqual({ a: [] });
  });

  it("places the scenarios' images where their pods run: PostgreSQL on the DB node only, Django on its two nodes", () => {
    expect(where(Object.values(hostDb.workloads))).toEqual({ postgres: ['c-worker'], django: ['c-worker', 'c-worker2'] });
    // The anchor pod runs on the control plane; nginx and Flask pods go where the scheduler puts them.
    expect(where(Object.values(podNetwork.workloads))).toEqual({ toolbox: ['c-control-plane', 'c-worker', 'c-worker2'], nginx: ['c-worker', 'c-worker2'], flask: ['c-worker', 'c-worker2'] });
    // The router and the outside clients are containers on the engine: the toolbox goes only where the pods run.
    expect(where(Object.values(services.workloads))).toEqual({ toolbox: ['c-worker', 'c-worker2'] });
  });
});
