/** A versions.env file, parsed: its NAME=value lines (comments and blank lines skipped). */
export type EnvFile = Readonly<Record<string, string>>;

export function parseEnvFile(text: string): EnvFile {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(\S+)\s*$/.exec(line.trim());
    if (match) values[match[1]!] = match[2]!;
  }
  return values;
}
