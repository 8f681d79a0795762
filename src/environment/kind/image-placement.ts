/**
 * Which nodes an image goes into: loading is the slow part of a Kubernetes
 * run (an import takes seconds per node), and an image no pod of a node uses
 * need not be there. Workloads say where their pods run; an image goes
 * where any of them does.
 */

/** Where a workload's pods run: the nodes it pins them to (kind's suffix: `control-plane`, `worker2`), or `scheduled` (the scheduler's choice). */
export type PodPlacement = readonly string[] | 'scheduled';

/** Where an image must be: every node, or the nodes the scheduler may use and/or named ones. */
export interface ImagePlacement {
  readonly every: boolean;
  readonly scheduled: boolean;
  readonly nodes: readonly string[];
}

export const everyNode: ImagePlacement = { every: true, scheduled: false, nodes: [] };
export const scheduledNodes: ImagePlacement = { every: false, scheduled: true, nodes: [] };

/** Per image, where the workloads using it run; a workload that says nothing needs its images on every node. */
export function placeImages(workloads: Iterable<{ readonly images: readonly string[]; readonly podsOn?: PodPlacement }>): Map<string, ImagePlacement> {
  const placed = new Map<string, ImagePlacement>();
  for (const workload of workloads) {
    const here: ImagePlacement = workload.podsOn === undefined ? everyNode : workload.podsOn === 'scheduled' ? scheduledNodes : { every: false, scheduled: false, nodes: workload.podsOn };
    for (const image of workload.images) {
      const before = placed.get(image);
      placed.set(image, before ? { every: before.every || here.every, scheduled: before.scheduled || here.scheduled, nodes: [...new Set([...before.nodes, ...here.nodes])] } : here);
    }
  }
  return placed;
}

/** A node as placement reads it: its name's suffix (after the cluster's name) and whether the scheduler may put pods there (no NoSchedule or NoExecute taint). */
export interface PlacementNode {
  readonly name: string;
  readonly suffix: string;
  readonly schedulable: boolean;
}

/** The names of the nodes an image placed so must be on. */
export const nodesFor = (placement: ImagePlacement, nodes: readonly PlacementNode[]): string[] =>
  nodes.filter((node) => placement.every || (placement.scheduled && node.schedulable) || placement.nodes.includes(node.suffix)).map((node) => node.name);
