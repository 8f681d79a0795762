import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { release } from 'node:os';
import { EnvironmentError } from '../../../errors.ts';
import type { CniModule } from './cni-module.ts';

/**
 * Whether this host's kernel has what a CNI needs (kind nodes share the host's
 * kernel), read from /proc/config.gz or /boot/config-<release>.
 */

/** The kernel's config as option → value (`y`, `m`, a string); undefined when no config can be read. */
export async function readKernelConfig(): Promise<ReadonlyMap<string, string> | undefined> {
  const text = await readFile('/proc/config.gz')
    .then((gz) => gunzipSync(gz).toString())
    .catch(() => readFile(`/boot/config-${release()}`, 'utf8'))
    .catch(() => undefined);
  return text === undefined ? undefined : parseKernelConfig(text);
}

export function parseKernelConfig(text: string): ReadonlyMap<string, string> {
  const options = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^(CONFIG_\w+)=(.*)$/.exec(line.trim());
    if (match) options.set(match[1]!, match[2]!);
  }
  return options;
}

/** The options this kernel lacks (neither built in nor a module); undefined when the config is unreadable. */
export function missingOptions(config: ReadonlyMap<string, string> | undefined, options: readonly string[]): string[] | undefined {
  if (!config) return undefined;
  return options.filter((option) => !['y', 'm'].includes(config.get(option) ?? ''));
}

/** One line for a fingerprint: what the kernel lacks of these options, or that it has them all. */
export function kernelFact(config: ReadonlyMap<string, string> | undefined, options: readonly string[]): string {
  const missing = missingOptions(config, options);
  if (missing === undefined) return `kernel ${release()}: config unreadable (no /proc/config.gz or /boot/config-${release()})`;
  return missing.length === 0 ? `kernel ${release()} has ${options.join(', ')}` : `kernel ${release()} lacks ${missing.join(', ')}`;
}

/**
 * Refuses a CNI this host cannot run, before any cluster is made: an
 * EnvironmentError (exit 3) naming the missing options. An unreadable config
 * proves nothing either way: the CNI is tried, and its fingerprint says so.
 */
export function requireKernelFor(cni: Pick<CniModule, 'name' | 'kernel'>, config: ReadonlyMap<string, string> | undefined): void {
  const missing = missingOptions(config, cni.kernel.requires);
  if (missing?.length) {
    throw new EnvironmentError(
      `${cni.name} cannot run on this host: kernel ${release()} lacks ${missing.join(', ')} (${cni.kernel.because})`,
      `choose another CNI (--cni), or run on a kernel built with ${missing.join(', ')}`,
    );
  }
}
