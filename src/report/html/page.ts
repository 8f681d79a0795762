import { html } from './escape.ts';

/** Styles and the filter script shared by the scenario and comparison pages: inline, so the file needs nothing else. */
const css = `
:root { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1d1d1d; }
body { margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem 3rem; line-height: 1.45; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
.meta, .muted { color: #555; font-size: .9rem; }
.engine-change { font-size: .85rem; font-weight: normal; margin-top: .3rem; border-left: 3px solid #b58900; padding-left: .4rem; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: .7rem; color: #fff; font-size: .85rem; font-weight: 600; }
.badge.confirmed { background: #1b7f3b; } .badge.refuted { background: #c62828; } .badge.inconclusive { background: #7a7a7a; }
.badge.flaky { background: #8e5bb5; }
.filters button { font: inherit; margin-right: .4rem; padding: .2rem .7rem; border: 1px solid #999; border-radius: .3rem; background: #fff; cursor: pointer; }
.filters button[aria-pressed="true"] { background: #1d1d1d; color: #fff; }
body[data-filter="refuted"] .claim:not(.verdict-refuted), body[data-filter="inconclusive"] .claim:not(.verdict-inconclusive) { display: none; }
body[data-filter="refuted"] tr.row:not(.verdict-refuted), body[data-filter="inconclusive"] tr.row:not(.verdict-inconclusive) { display: none; }
.topology { overflow-x: auto; border: 1px solid #ddd; border-radius: .4rem; padding: .5rem; background: #fff; }
.topology svg { max-width: 100%; height: auto; }
.legend { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; font-size: .85rem; margin: .5rem 0; padding: 0; list-style: none; }
.claim { border-top: 1px solid #ddd; padding-top: .3rem; }
blockquote { margin: .5rem 0; padding: .3rem .8rem; border-left: 4px solid #c9c9c9; background: #f7f7f7; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0; }
th, td { border: 1px solid #ddd; padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .82rem; }
pre { background: #f6f8fa; padding: .5rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; margin: .3rem 0; }
details { margin: .3rem 0; } summary { cursor: pointer; color: #224d7a; }
td.cell a { color: inherit; text-decoration: none; }
`;

const script = `
for (const button of document.querySelectorAll('.filters button')) {
  button.addEventListener('click', () => {
    document.body.dataset.filter = button.dataset.filter;
    for (const other of document.querySelectorAll('.filters button')) other.setAttribute('aria-pressed', String(other === button));
  });
}
`;

/** The filter buttons: all, refuted, inconclusive, with their counts. */
export function filters(counts: { all: number; refuted: number; inconclusive: number }): string {
  const button = (filter: string, words: string, pressed: boolean) =>
    `<button type="button" data-filter="${filter}" aria-pressed="${pressed}">${html(words)}</button>`;
  return `<div class="filters" role="group" aria-label="filter claims">${button('all', `all (${counts.all})`, true)}${button('refuted', `refuted (${counts.refuted})`, false)}${button('inconclusive', `inconclusive (${counts.inconclusive})`, false)}</div>`;
}

/**
 * A whole page. The Content-Security-Policy forbids every fetch (default-src
 * 'none'): styles, the script and the picture are inline, so the page works
 * offline from a CI artifact and a mistake that would load something shows as
 * an error in the browser instead of a silent request.
 */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(title)}</title>
<style>${css}</style>
</head>
<body data-filter="all">
${body}
<script>${script}</script>
</body>
</html>
`;
}
