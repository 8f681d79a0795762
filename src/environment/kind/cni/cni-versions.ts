import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kindRoot } from '../kind-paths.ts';

/** kind/cni/versions.env, parsed: NAME=value lines. */
export type CniVersions = Readonly<Record<string, string>>;

export async function readCniVersions(): Promise<CniVersions> {
  return parseCniVersions(await readFile(join(kindRoot, 'cni', 'versions.env'), 'utf8'));
}

export function parseCniVersions(text: string): CniVersions {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(\S+)\s*$/.exec(line.trim());
    if (match) values[match[1]!] = match[2]!;
  }
  return values;
}

export function requireVersion(versions: CniVersions, key: string): string {
  const value = versions[key];
  if (!value) throw new Error(`kind/cni/versions.env has no ${key}`);
  return value;
}
