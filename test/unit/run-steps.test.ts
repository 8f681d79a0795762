import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/log.ts';
import { runSteps, together, type Step, type StepContext } from '../../src/scenario/steps/step.ts';

/** A context whose logger writes each progress line and info line into `lines`. */
function recording(): StepContext & { lines: string[] } {
  const lines: string[] = [];
  const logger: Logger = {
    info: (message) => void lines.push(`info ${message}`),
    async step(name, work) {
      lines.push(`start ${name}`);
      try {
        const result = await work();
        lines.push(`ok ${name}`);
        return result;
      } catch (error) {
        lines.push(`failed ${name}`);
        throw error;
      }
    },
  };
  return { logger, lines };
}

type Ctx = ReturnType<typeof recording>;

/** A step that notes its run and teardown in the context's lines; `fails` makes its run throw. */
const step = (name: string, options: { fails?: boolean; skip?: boolean; teardownFails?: boolean } = {}): Step<Ctx> => ({
  name,
  skip: () => options.skip ?? false,
  async run(context) {
    context.lines.push(`run ${name}`);
    if (options.fails) throw new Error(`${name} broke`);
  },
  async teardown(context) {
    context.lines.push(`teardown ${name}`);
    if (options.teardownFails) throw new Error(`${name}'s teardown broke`);
  },
});

describe('the run as a list of steps', () => {
  it('runs the steps in order, one progress line each, then tears them down in reverse', async () => {
    const context = recording();
    await runSteps([step('a'), step('b'), step('c')], context);
    expect(context.lines).toEqual(['start a', 'run a', 'ok a', 'start b', 'run b', 'ok b', 'start c', 'run c', 'ok c', 'teardown c', 'teardown b', 'teardown a']);
  });

  it('stops at a failing step, tears down what started (the failing one too) in reverse, and rethrows its error', async () => {
    const context = recording();
    await expect(runSteps([step('a'), step('b', { fails: true }), step('c')], context)).rejects.toThrow('b broke');
    expect(context.lines).toEqual(['start a', 'run a', 'ok a', 'start b', 'run b', 'failed b', 'teardown b', 'teardown a']);
  });

  it('leaves out a step with nothing to do: no progress line, no teardown', async () => {
    const context = recording();
    await runSteps([step('a'), step('b', { skip: true }), step('c')], context);
    expect(context.lines.filter((l) => l.includes(' b'))).toEqual([]);
    expect(context.lines.slice(-2)).toEqual(['teardown c', 'teardown a']);
  });

  it('logs a failing teardown and goes on with the others; the step failure is what the caller gets', async () => {
    const context = recording();
    await expect(runSteps([step('a'), step('b', { teardownFails: true }), step('c', { fails: true })], context)).rejects.toThrow('c broke');
    expect(context.lines.slice(-4)).toEqual(['teardown c', 'teardown b', `info teardown of "b" failed: b's teardown broke`, 'teardown a']);
  });

  it('runs independent steps at once as one step, each with its own line, torn down in reverse with the list', async () => {
    const context = recording();
    let running = 0;
    let most = 0;
    const slow = (name: string): Step<Ctx> => ({
      ...step(name),
      async run(ctx) {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running--;
        ctx.lines.push(`run ${name}`);
      },
    });
    await runSteps([together('x and y', [slow('x'), slow('y')]), step('z')], context);
    expect(most).toBe(2);
    expect(context.lines.slice(0, 3)).toEqual(['start x and y', 'start x', 'start y']);
    expect(context.lines.slice(-3)).toEqual(['teardown z', 'teardown y', 'teardown x']);
  });

  it('fails a together step when one of its steps fails, after the other has finished; both are torn down', async () => {
    const context = recording();
    await expect(runSteps([step('a'), together('x and y', [step('x', { fails: true }), step('y')])], context)).rejects.toThrow('x broke');
    expect(context.lines).toContain('ok y');
    expect(context.lines.slice(-3)).toEqual(['teardown y', 'teardown x', 'teardown a']);
  });
});
