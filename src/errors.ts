/** Harness failures are exceptions; network failures are data (see outcome/). */
export class NetproofError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input from the user: an unknown scenario, a malformed flag. CLI exit code 2. */
export class UsageError extends NetproofError {}

/** A scenario file that does not load or does not hold together: a usage error naming the file (and line) to fix. */
export class ScenarioError extends UsageError {
  /** A word of the file to find the line by (a workload or claim name), when the error is not a parse error with its own line. */
  readonly near?: string;
  constructor(message: string, options?: { near?: string; cause?: unknown }) {
    super(message, options);
    this.near = options?.near;
  }
}

/** The engine, images or host cannot be prepared. CLI exit code 3; `hint` says what to do. */
export class EnvironmentError extends NetproofError {
  readonly hint: string;
  constructor(message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.hint = hint;
  }
}

/** A command the harness needed did not succeed; carries everything to reproduce it. */
export class ExecError extends NetproofError {
  readonly command: string;
  readonly exitCode: number | null;
  readonly output: string;
  constructor(command: string, exitCode: number | null, output: string) {
    super(`command failed (exit ${exitCode}): ${command}\n${output.trim()}`);
    this.command = command;
    this.exitCode = exitCode;
    this.output = output;
  }
}

/** Adds what was being done to an error crossing a boundary. */
export async function during<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof EnvironmentError || error instanceof UsageError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new NetproofError(`${what}: ${message}`, { cause: error });
  }
}
