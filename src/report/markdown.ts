import { formatOutcome } from '../outcome/outcome.ts';
import type { ScenarioResult } from './result.ts';
import { resultRows } from './table.ts';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The claims table as Markdown lines (also the CI job summary's). */
export function markdownTable(result: ScenarioResult): string[] {
  return ['| claim | connection string | expected | observed | verdict | time |', '|---|---|---|---|---|---|', ...resultRows(result).map((row) => `| ${row.map(cell).join(' | ')} |`)];
}

/** results/<scenario>.md: the table, then each claim's verdict, reason and evidence. */
export function renderMarkdown(result: ScenarioResult): string {
  const out: string[] = [`# ${result.title}`, ''];
  out.push(`Scenario \`${result.scenario}\`, run \`${result.runId}\`, ${result.startedAt}, ${(result.durationMs / 1000).toFixed(1)} s.`, '');
  out.push(...Object.entries(result.environment).map(([k, v]) => `- ${k}: \`${v}\``));
  out.push(`- traffic guard on ${result.traffic.uplinks.join(', ') || 'no uplink'}: ${result.traffic.packetsStopped} packets stopped`, '');
  out.push(...markdownTable(result), '');
  for (const claim of result.claims) {
    out.push(`## ${claim.id} — ${claim.verdict}`, '', `Article ${claim.article}, from \`${claim.from}\`: ${claim.says}.`, '');
    if (claim.because) out.push(`Because: ${claim.because}.`, '');
    for (const precondition of claim.preconditions ?? []) out.push(`- Precondition (the lab's choice, not a finding): ${precondition}.`);
    if (claim.preconditions?.length) out.push('');
    claim.attempts.forEach((attempt, i) => {
      const role = [attempt.role, attempt.half && `"${attempt.half}"`, attempt.from && `from ${attempt.from}`].filter(Boolean).join(', ');
      out.push(`- ${role ? `[${role}] ` : ''}\`${attempt.connection}\`${attempt.note ? ` (${attempt.note})` : ''}: **${formatOutcome(attempt.outcome)}**, ${attempt.verdict} (expected: ${attempt.expected}). ${attempt.explanation}.${attempt.detail ? ` (${attempt.detail})` : ''}`);
      for (const command of claim.evidence.attempts[i] ?? []) {
        out.push('', '  ```', `  $ ${command.command}`, ...(command.stdout + command.stderr).trim().split('\n').map((l) => `  ${l}`), `  # exit ${command.exitCode}`, '  ```');
      }
    });
    out.push('', '<details><summary>context</summary>', '', '```');
    for (const command of claim.evidence.context) out.push(`$ ${command.command}`, (command.stdout + command.stderr).trim());
    out.push('```', '', '</details>', '');
  }
  return out.join('\n');
}
