import { describe, expect, it } from 'vitest';
import { Finalizers } from '../../src/lab/finalizers.ts';
import { dependencyDepth } from '../../src/scenario/steps/workloads.ts';
import type { ScenarioSpec } from '../../src/scenario/scenario.ts';

/** A finalizer that notes when it starts and ends, and takes a little time in between. */
function recorder() {
  const events: string[] = [];
  const undo = (what: string, fail = false) => async () => {
    events.push(`start ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    events.push(`end ${what}`);
    if (fail) throw new Error(`${what} is gone already`);
  };
  return { events, undo };
}

describe('a run\'s finalizers', () => {
  it('undoes untagged finalizers one after another, newest first', async () => {
    const { events, undo } = recorder();
    const finalizers = new Finalizers();
    finalizers.defer('network', undo('network'));
    finalizers.defer('container', undo('container'));
    expect(await finalizers.undoAll()).toEqual([]);
    expect(events).toEqual(['start container', 'end container', 'start network', 'end network']);
  });

  it('undoes a group\'s owners side by side, each owner\'s own newest first, and the rest in reverse around them', async () => {
    const { events, undo } = recorder();
    const finalizers = new Finalizers();
    finalizers.defer('guard', undo('guard'));
    await Promise.all([
      finalizers.makeInGroup('depth 0', 'router', async () => {
        finalizers.defer('router container', undo('router container'));
        await new Promise((resolve) => setTimeout(resolve, 1));
        finalizers.defer('router veth', undo('router veth'));
      }),
      finalizers.makeInGroup('depth 0', 'db', async () => finalizers.defer('db', undo('db'))),
    ]);
    await finalizers.makeInGroup('depth 1', 'client', async () => finalizers.defer('client', undo('client')));
    finalizers.defer('claim setup', undo('claim setup'));

    expect(await finalizers.undoAll()).toEqual([]);
    // The client (depth 1) goes before what it depends on; the router and db go together; the guard last.
    expect(events.slice(0, 4)).toEqual(['start claim setup', 'end claim setup', 'start client', 'end client']);
    expect(events.slice(4, 6).sort()).toEqual(['start db', 'start router veth']);
    expect(events.indexOf('start router container')).toBeGreaterThan(events.indexOf('end router veth'));
    expect(events.indexOf('start router container')).toBeLessThan(events.indexOf('start guard'));
    expect(events.indexOf('start guard')).toBeGreaterThan(events.indexOf('end db'));
    expect(events.at(-1)).toBe('end guard');
  });

  it('collects a failure with what it was, and undoes the rest', async () => {
    const { events, undo } = recorder();
    const finalizers = new Finalizers();
    finalizers.defer('network', undo('network'));
    await Promise.all(['a', 'b'].map((name) => finalizers.makeInGroup('depth 0', name, async () => finalizers.defer(name, undo(name, name === 'a')))));
    expect(await finalizers.undoAll()).toEqual(['a: a is gone already']);
    expect(events.filter((e) => e.startsWith('end'))).toEqual(expect.arrayContaining(['end a', 'end b', 'end network']));
  });
});

describe('dependency depth', () => {
  it('is 0 for a workload that depends on nothing and one more than its deepest dependency otherwise', () => {
    const workload = (dependsOn?: string[]) => ({ description: '', images: [], dependsOn, start: async () => ({}) });
    const spec = { workloads: { router: workload(), hostA: workload(), client: workload(['router']), probe: workload(['client', 'hostA']) } } as unknown as ScenarioSpec;
    expect(['router', 'hostA', 'client', 'probe'].map((name) => dependencyDepth(spec, name))).toEqual([0, 0, 1, 2]);
  });
});
