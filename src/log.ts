/** Progress lines on stderr, one per step, so stdout stays for results. */
export interface Logger {
  info(message: string): void;
  /** Runs a step between a start line and an end line with its duration. */
  step<T>(name: string, work: () => Promise<T>): Promise<T>;
}

export const noopLogger: Logger = {
  info() {},
  step: (_name, work) => work(),
};

export function consoleLogger(write: (line: string) => void = (line) => process.stderr.write(line + '\n')): Logger {
  return {
    info: (message) => write(`  ${message}`),
    async step(name, work) {
      const started = performance.now();
      write(`• ${name} …`);
      try {
        const result = await work();
        write(`✓ ${name} (${seconds(started)})`);
        return result;
      } catch (error) {
        write(`✗ ${name} (${seconds(started)})`);
        throw error;
      }
    },
  };
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
