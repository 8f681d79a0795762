import ora, { type Ora } from 'ora';
import { consoleLogger, type Logger } from '../log.ts';

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/**
 * On a terminal: one live spinner line naming every step under way with its
 * elapsed time (workloads start side by side), and a ✓/✗ line per step that
 * ends. In CI or when stderr is piped: the plain lines of consoleLogger.
 */
export function progressLogger(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): Logger {
  // A terminal of no width (a pty nobody sized) would make the spinner's line arithmetic divide by zero.
  if (!stream.isTTY || !stream.columns || env.CI || env.TERM === 'dumb') return consoleLogger((line) => stream.write(line + '\n'));
  const running = new Map<string, number>();
  let spinner: Ora | undefined;
  let ticker: NodeJS.Timeout | undefined;
  const refresh = () => {
    // One line: a wrapped spinner line cannot be redrawn in place.
    const text = [...running].map(([name, started]) => `${name} (${seconds(started)})`).join(' · ');
    if (spinner) spinner.text = text.length > stream.columns - 4 ? `${text.slice(0, stream.columns - 5)}…` : text;
  };
  // Finished lines go above the spinner, which is redrawn below them.
  const print = (line: string) => {
    spinner?.clear();
    stream.write(line + '\n');
    spinner?.render();
  };
  return {
    info: (message) => print(`  ${message}`),
    async step(name, work) {
      const started = performance.now();
      running.set(name, started);
      spinner ??= ora({ stream, discardStdin: false }).start();
      ticker ??= setInterval(refresh, 200);
      refresh();
      const end = (mark: string) => {
        running.delete(name);
        print(`${mark} ${name} (${seconds(started)})`);
        if (running.size === 0) {
          clearInterval(ticker);
          ticker = undefined;
          spinner?.stop();
          spinner = undefined;
        } else refresh();
      };
      try {
        const result = await work();
        end('✓');
        return result;
      } catch (error) {
        end('✗');
        throw error;
      }
    },
  };
}
