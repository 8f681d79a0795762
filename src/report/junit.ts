import { formatOutcome } from '../outcome/outcome.ts';
import type { ScenarioResult } from './result.ts';

const xml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

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
