import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a claim's sentence sits: the article file, and the heading above the first quoted fragment found in it. */
export interface ArticleSource {
  readonly file?: string;
  readonly section?: string;
}

/** shared/articles beside the repository, as CI and the sessions have it; NETPROOF_ARTICLES overrides. */
export const articlesDir = (): string => process.env.NETPROOF_ARTICLES ?? join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'articles');

const texts = new Map<string, { file: string; text: string } | undefined>();

function article(number: string, dir: string): { file: string; text: string } | undefined {
  const key = `${dir}/${number}`;
  if (!texts.has(key)) {
    let found: { file: string; text: string } | undefined;
    try {
      const file = readdirSync(dir).find((f) => f.startsWith(`${number}_`) || f.startsWith(`${number}.`));
      if (file) found = { file, text: readFileSync(join(dir, file), 'utf8') };
    } catch {
      found = undefined; // no articles beside the repository: the report names the article number only
    }
    texts.set(key, found);
  }
  return texts.get(key);
}

/** Quoted parts of the claim's words (and the words before a dash), longest first: the article's own text where the claim cites it. */
function fragments(says: string): string[] {
  const quoted = [...says.matchAll(/"([^"]{6,})"|'([^']{6,})'|`([^`]{6,})`|“([^”]{6,})”/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!);
  const lead = says.split(/ — | … /)[0]!;
  return [...quoted, lead].map((f) => f.trim()).filter((f) => f.length >= 6).sort((a, b) => b.length - a.length);
}

/** The article file for a claim, and the section its sentence is in when a fragment of it is found verbatim. */
export function articleSource(number: string, says: string, dir = articlesDir()): ArticleSource {
  const found = article(number, dir);
  if (!found) return {};
  const squash = (s: string) => s.replace(/\s+/g, ' ');
  const lines = found.text.split('\n');
  for (const fragment of fragments(says)) {
    let heading: string | undefined;
    let inCode = false;
    for (const line of lines) {
      if (line.trimStart().startsWith('```')) inCode = !inCode;
      else if (!inCode && /^#{1,6}\s/.test(line)) heading = line.replace(/^#+\s*/, '').trim();
      if (squash(line).includes(squash(fragment))) return { file: found.file, section: heading };
    }
  }
  return { file: found.file };
}
