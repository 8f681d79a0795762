import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The kind files in the order of the builds they wait for on a fresh machine,
 * the order test/prebuild.ts makes them in: the node image only, then the
 * enforcing CNI, then the add-ons (Traefik and MetalLB, for K15 and K14). So
 * each file runs while the builds of the files after it are still being made,
 * instead of every file waiting for every build. Other files keep vitest's order.
 */
const kindOrder = ['kind-cluster', 'cluster-kill', 'cni', 'k8s-scenarios'].map((name) => `/test/kind/${name}.kind.test.ts`);
const rank = (spec: TestSpecification) => kindOrder.findIndex((end) => spec.moduleId.endsWith(end));

export class BuildOrderSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const kind = sorted.filter((spec) => rank(spec) >= 0).sort((a, b) => rank(a) - rank(b));
    let next = 0;
    return sorted.map((spec) => (rank(spec) >= 0 ? kind[next++]! : spec));
  }
}
