import { hostExec, hostExecOrThrow } from '../exec/host-exec.ts';

/** One rule as `iptables-save -c` prints it, with its table and counters. */
export interface SavedRule {
  readonly family: 'ipv4' | 'ipv6';
  readonly table: string;
  /** The rule's arguments after `-A`, e.g. ["DOCKER-USER", "-o", "eth0", …]. */
  readonly spec: readonly string[];
  readonly packets: number;
}

const save = { ipv4: 'iptables-save', ipv6: 'ip6tables-save' } as const;
const restore = { ipv4: 'iptables-restore', ipv6: 'ip6tables-restore' } as const;
const tool = { ipv4: 'iptables', ipv6: 'ip6tables' } as const;

/** Every rule whose comment contains `marker`, in both families (a missing ip6tables is no rules). */
export async function rulesMarked(marker: string): Promise<SavedRule[]> {
  const families = ['ipv4', 'ipv6'] as const;
  const dumps = await Promise.all(families.map((family) => hostExec([save[family], '-c'])));
  return families.flatMap((family, i) => (dumps[i]!.exitCode === 0 ? parseSave(family, dumps[i]!.stdout).filter((rule) => rule.spec.some((word) => word.includes(marker))) : []));
}

export function parseSave(family: SavedRule['family'], dump: string): SavedRule[] {
  const rules: SavedRule[] = [];
  let table = 'filter';
  for (const line of dump.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1).trim();
    const match = /^(?:\[(\d+):\d+\]\s+)?-A\s+(.*)$/.exec(line);
    if (match) rules.push({ family, table, spec: splitShellWords(match[2]!), packets: Number(match[1] ?? 0) });
  }
  return rules;
}

// -w: a run changes rules from several steps at once (and dockerd beside it); iptables-legacy refuses a second writer instead of waiting.
export async function deleteRule(rule: SavedRule): Promise<void> {
  await hostExecOrThrow([tool[rule.family], '-w', '-t', rule.table, '-D', ...rule.spec]);
}

/**
 * Many rules at once: one `iptables-restore --noflush` per family, a single
 * transaction (a dozen `iptables -D` cost a quarter of a second). Where the
 * batch is refused (a rule went meanwhile), each rule is deleted on its own:
 * every one is tried, and the first failure is thrown after.
 */
export async function deleteRules(rules: readonly SavedRule[]): Promise<void> {
  for (const family of ['ipv4', 'ipv6'] as const) {
    const ofFamily = rules.filter((rule) => rule.family === family);
    if (ofFamily.length === 0) continue;
    const batch = await hostExec([restore[family], '-w', '--noflush'], { input: restoreDeletions(ofFamily) });
    if (batch.exitCode === 0) continue;
    const failed = (await Promise.allSettled(ofFamily.map(deleteRule))).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

/** `iptables-restore` input deleting each rule: a section per table, the words quoted as iptables-save quotes them. */
export function restoreDeletions(rules: readonly SavedRule[]): string {
  const tables = [...new Set(rules.map((rule) => rule.table))];
  const quote = (word: string) => (/[\s"\\]/.test(word) || word === '' ? `"${word.replace(/[\\"]/g, (c) => `\\${c}`)}"` : word);
  return tables.map((table) => [`*${table}`, ...rules.filter((rule) => rule.table === table).map((rule) => `-D ${rule.spec.map(quote).join(' ')}`), 'COMMIT'].join('\n')).join('\n') + '\n';
}

export async function insertRule(family: SavedRule['family'], table: string, spec: readonly string[]): Promise<void> {
  await hostExecOrThrow([tool[family], '-w', '-t', table, '-I', ...spec]);
}

/** Splits iptables-save's words; comments are double-quoted with backslash escapes. */
export function splitShellWords(text: string): string[] {
  const words: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    words.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]!);
  }
  return words;
}
