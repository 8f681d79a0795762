import { formatOutcome } from '../outcome/outcome.ts';
import type { ScenarioResult } from './result.ts';

// eslint-disable-next-line no-control-regex
const ansiEscape = /\u001b\[[0-9;?]*[A-Za-z]/g;
/** Characters XML 1.0 forbids even as references: C0 controls but tab/LF/CR, U+FFFE/U+FFFF, unpaired surrogates. */
// eslint-disable-next-line no-control-regex
const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const entities: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' };

/**
 * Text for an XML attribute. Error messages carry what commands printed:
 * terminal colour codes are dropped, other forbidden characters become U+FFFD,
 * and line breaks and tabs are character references (an attribute would
 * otherwise fold them into spaces).
 */
export const xml = (text: string) =>
  text
    .replace(ansiEscape, '')
    .replace(forbidden, '\uFFFD')
    .replace(/[<>&"'\n\r\t]/g, (c) => entities[c]!);

/**
 * JUnit XML, one testcase per claim attempt. A refuted claim is a <failure>
 * (the article is wrong here), an inconclusive one an <error> (the lab could
 * not tell); neither changes the CLI's exit code unless --strict.
 */
export function renderJunit(result: ScenarioResult): string {
  const cases = result.claims.flatMap((claim) =>
    claim.attempts.map((attempt) => {
      const name = xml(`${claim.id}: ${claim.from} -> ${attempt.connection}`);
      const observed = xml(`expected ${claim.expected}, observed ${formatOutcome(attempt.outcome)}: ${attempt.explanation}`);
      const body =
        attempt.verdict === 'refuted'
          ? `<failure message="${observed}"/>`
          : attempt.verdict === 'inconclusive'
            ? `<error message="${observed}"/>`
            : '';
      return `    <testcase classname="${xml(result.scenario)}" name="${name}" time="${(attempt.durationMs / 1000).toFixed(3)}">${body}</testcase>`;
    }),
  );
  const failures = result.claims.flatMap((c) => c.attempts).filter((a) => a.verdict === 'refuted').length;
  const errors = result.claims.flatMap((c) => c.attempts).filter((a) => a.verdict === 'inconclusive').length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="netproof" tests="${cases.length}" failures="${failures}" errors="${errors}">`,
    `  <testsuite name="${xml(result.scenario)}" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${(result.durationMs / 1000).toFixed(3)}" timestamp="${result.startedAt}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
