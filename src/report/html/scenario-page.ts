import type { ExecResult } from '../../exec/exec-result.ts';
import { formatOutcome } from '../../outcome/outcome.ts';
import { outcomeCounts, repeatsWords } from '../repeats.ts';
import type { AttemptResult, ClaimResult, ScenarioResult } from '../result.ts';
import { changesIn, changeText, engineChanges, engineSideOf } from '../../compare/engine-changes.ts';
import { articleSource } from './article-source.ts';
import { arrowsFor } from './arrows.ts';
import { html } from './escape.ts';
import { filters, page } from './page.ts';
import { endStyle, renderTopologySvg, verdictColour } from './topology-svg.ts';

const badge = (verdict: string) => `<span class="badge ${html(verdict)}">${html(verdict)}</span>`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function commandBlock(command: ExecResult): string {
  const output = (command.stdout + (command.stderr ? `\n${command.stderr}` : '')).trim();
  return `<pre>$ ${html(command.command)}\n${html(output)}${output ? '\n' : ''}# exit ${command.exitCode ?? 'none'}, ${command.durationMs} ms</pre>`;
}

/** A one-line detail as words; a longer one (K18's per-case matrices, printed `.`/`X` as the netpol e2e does) folded, its first line the summary. */
function detailBlock(detail: string): string {
  const [first, ...rest] = detail.split('\n');
  return rest.length === 0 ? `<div class="muted">${html(detail)}</div>` : `<details><summary class="muted">${html(first!)}</summary><pre>${html(rest.join('\n'))}</pre></details>`;
}

function attemptRow(claim: ClaimResult, attempt: AttemptResult, index: number): string {
  const from = attempt.from ?? claim.from;
  const role = attempt.role ? ` <span class="muted">(${html(attempt.role)})</span>` : '';
  const half = attempt.half ? `<div class="muted">${html(attempt.half)}</div>` : '';
  const answered = attempt.answeredBy ? `<div class="muted">answered by <code>${html(attempt.answeredBy)}</code></div>` : '';
  const detail = attempt.detail ? detailBlock(attempt.detail) : '';
  const note = attempt.note ? `<div class="muted">${html(attempt.note)}</div>` : '';
  return `<tr class="row verdict-${html(attempt.verdict)}" id="claim-${html(claim.id)}-${index + 1}">
<td>${index + 1}${role}</td><td><code>${html(from)}</code></td><td><code>${html(attempt.connection)}</code>${note}${half}</td>
<td>${html(attempt.expected)}</td><td>${html(formatOutcome(attempt.outcome))}${answered}${detail}</td><td>${badge(attempt.verdict)}</td><td>${html(attempt.explanation)}</td><td>${seconds(attempt.durationMs)}</td></tr>`;
}

/**
 * What is known to differ across Docker engines for this claim (engine-changes.ts), each said against this
 * run's engine: the reader of one engine's report learns where another engine finds otherwise.
 */
function engineChangesNote(claim: ClaimResult, environment: ScenarioResult['environment']): string {
  const changes = engineChanges.filter((change) => change.claim === claim.id);
  if (changes.length === 0) return '';
  const side = engineSideOf(environment);
  const here = new Set(changesIn(claim.id, side));
  const items = changes.map((change) => `<li>${html(changeText(change))} — <em>${here.has(change) ? 'this run\'s engine has it' : 'not this run\'s engine'}</em></li>`);
  return `<div class="engine-change"><strong>Across Docker engines</strong> (this run: ${html(side.engine ?? 'unknown')}${side.firewallBackend ? `, ${html(side.firewallBackend)} backend` : ''})<ul>${items.join('')}</ul></div>`;
}

function claimSection(claim: ClaimResult, environment: ScenarioResult['environment']): string {
  const source = articleSource(claim.article, claim.says);
  const where = [`article ${claim.article}`, source.file ? `<code>articles/${html(source.file)}</code>` : '', source.section ? `section “${html(source.section)}”` : '']
    .filter(Boolean)
    .join(', ');
  const evidence = claim.attempts
    .map((attempt, i) => {
      const commands = claim.evidence.attempts[i] ?? [];
      return `<details><summary>attempt ${i + 1}: <code>${html(attempt.connection)}</code> — ${commands.length} command(s)</summary>${commands.map(commandBlock).join('') || '<p class="muted">no command output</p>'}</details>`;
    })
    .join('');
  const context = claim.evidence.context.length
    ? `<details><summary>context: addresses, routes, resolver, rules (${claim.evidence.context.length} commands)</summary>${claim.evidence.context.map(commandBlock).join('')}</details>`
    : '';
  const preconditions = claim.preconditions?.length ? `<p class="muted">Lab choices this rests on: ${claim.preconditions.map(html).join('; ')}</p>` : '';
  return `<section class="claim verdict-${html(claim.verdict)}" id="claim-${html(claim.id)}" data-verdict="${html(claim.verdict)}">
<h2>${html(claim.id)} ${badge(claim.verdict)}${claim.repeats?.flaky ? ' <span class="badge flaky">flaky</span>' : ''}</h2>${claim.repeats ? `<p class="muted">over ${claim.repeats.rounds} rounds: ${html(repeatsWords(claim.repeats))}; outcomes per attempt: ${claim.repeats.outcomes.map((counts, i) => `${i + 1}: ${html(outcomeCounts(counts))}`).join(' · ')}</p>` : ''}
<blockquote>${html(claim.says)}<div class="muted">${where}; tried from <code>${html(claim.from)}</code></div></blockquote>
<p><strong>Expected</strong> ${html(claim.expected)} · <strong>observed</strong> ${html(claim.attempts.map((a) => formatOutcome(a.outcome)).join('; '))}</p>
<p><strong>Why</strong>: ${html(claim.explanation)}${claim.because ? ` <span class="muted">(${html(claim.because)})</span>` : ''}</p>
${preconditions}${engineChangesNote(claim, environment)}
<table><thead><tr><th>#</th><th>from</th><th>connection</th><th>expected</th><th>observed</th><th>verdict</th><th>explanation</th><th>time</th></tr></thead>
<tbody>${claim.attempts.map((a, i) => attemptRow(claim, a, i)).join('\n')}</tbody></table>
<h3 class="muted">Evidence</h3>${evidence}${context}
</section>`;
}

/** A small drawing of an arrow's line and head, as Graphviz draws them in the picture. */
function arrowSample(style: string, head: string): string {
  const dash = style === 'dashed' ? ' stroke-dasharray="6 3"' : style === 'dotted' ? ' stroke-dasharray="1.5 3"' : '';
  const heads: Record<string, string> = {
    normal: '<polygon points="34,1 44,6 34,11" fill="#333"/>',
    tee: '<line x1="43" y1="0" x2="43" y2="12" stroke="#333" stroke-width="3"/>',
    odot: '<circle cx="39" cy="6" r="4.5" fill="none" stroke="#333" stroke-width="1.5"/>',
    box: '<rect x="35" y="2" width="8" height="8" fill="#333"/>',
    diamond: '<polygon points="32,6 38,1 44,6 38,11" fill="#333"/>',
    empty: '<polygon points="34,1 44,6 34,11" fill="none" stroke="#333"/>',
  };
  return `<svg width="46" height="12" aria-hidden="true"><line x1="1" y1="6" x2="34" y2="6" stroke="#333" stroke-width="2"${dash}/>${heads[head] ?? ''}</svg>`;
}

function legend(): string {
  const item = (sample: string, words: string) => `<li>${sample} ${html(words)}</li>`;
  const verdicts = Object.entries(verdictColour).map(([verdict, colour]) => item(`<span style="color:${colour}">■</span>`, verdict));
  const ends = Object.values(endStyle)
    .filter((s, i, all) => all.findIndex((o) => o.words === s.words) === i)
    .map((s) => item(arrowSample(s.style, s.head), s.words));
  return `<ul class="legend" aria-label="arrow legend">${[...verdicts, ...ends].join('')}</ul>`;
}

/** results/<scenario>.html: one self-contained page, the run's topology with its attempts, then each claim. */
export async function renderScenarioHtml(result: ScenarioResult): Promise<string> {
  const { confirmed, refuted, inconclusive } = result.summary;
  let picture = '<p class="muted">This result carries no topology (written by an older netproof).</p>';
  if (result.topology) {
    const { arrows, extraNodes } = arrowsFor(result.claims, result.topology);
    picture = `${legend()}<div class="topology" data-arrows="${arrows.length}">${await renderTopologySvg(result.topology, arrows, extraNodes)}</div>`;
  }
  const environment = Object.entries(result.environment)
    .map(([key, value]) => `${html(key)} <code>${html(value)}</code>`)
    .join(' · ');
  const body = `<header>
<h1>${html(result.title)}</h1>
<p class="meta">scenario <code>${html(result.scenario)}</code> · run <code>${html(result.runId)}</code> · ${html(result.startedAt)} · ${seconds(result.durationMs)}</p>
<p class="meta">${environment}</p>
<p class="meta">traffic guard on ${html(result.traffic.uplinks.join(', ') || 'no uplink')}: ${result.traffic.packetsStopped} packets stopped</p>
<p>${badge('confirmed')} ${confirmed} ${badge('refuted')} ${refuted} ${badge('inconclusive')} ${inconclusive}</p>
${filters({ all: result.claims.length, refuted, inconclusive })}
</header>
<h2>Topology</h2>
${picture}
${result.claims.map((claim) => claimSection(claim, result.environment)).join('\n')}`;
  return page(`${result.scenario} — netproof`, body);
}
