import { createHash } from 'node:crypto';

// The document around the sections: one file, nothing loaded from anywhere.
// The Content-Security-Policy admits only our own inline script and style,
// by their SHA-256, and no connection at all: should a value from the
// evidence ever slip past the escaping, it still cannot run a script, load an
// image or reach the network (the tool promises no network, and so does the
// page it writes).

export interface PageParts {
  title: string;
  /** Pieces of the header and the summary, written one after another (each lists every IOC in force). */
  header: Iterable<string>;
  summary: Iterable<string>;
  timeline: string;
  devices: string;
  /** The hits table's total, shown before the script has run. */
  totalHits: string;
  /** When the page holds only some of the hits: a paragraph saying which, how many are left out, and where they all are. */
  leftOut?: { held: string; total: string; note: string };
  errors: string;
  evidence: string;
  /** jsonForScript output, in pieces: holds no `<`. */
  hitData: Iterable<string>;
  style: string;
  script: string;
}

function sourceHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The policy for a page whose only script and style are these texts. */
export function contentSecurityPolicy(script: string, style: string): string {
  return [
    "default-src 'none'",
    `script-src ${sourceHash(script)}`,
    `style-src ${sourceHash(style)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const HITS_TABLE = `<section id="hits">
<h2>Hits</h2>
<p id="hits-count">Showing <span id="hits-range">none</span> of <span id="hits-matching">?</span> hits matching the filters (<span id="hits-total">TOTAL</span> in the report).</p>
<noscript><p>The hits table needs the page's script, which this browser does not run. Everything above does not; every hit is also in the json and csv formats.</p></noscript>
<div id="hits-controls" hidden>
<label>IOC <select id="filter-ioc"><option value="">all IOCs</option></select></label>
<label>device <select id="filter-device"><option value="">all devices</option></select></label>
<label>table <select id="filter-table"><option value="">all tables</option></select></label>
<label>status <select id="filter-status"><option value="">active and suppressed</option><option value="active">active only</option><option value="suppressed">suppressed only</option></select></label>
<label>text <input id="filter-text" type="search" placeholder="any text of a hit" autocomplete="off"></label>
<span id="filter-window" hidden>time <span id="filter-window-text"></span> <button type="button" id="filter-window-clear" title="Show every time">clear</button></span>
<button type="button" id="filter-reset">Show all</button>
</div>
<table class="hits" id="hits-table"><thead><tr>
<th data-sort="time" aria-sort="descending"><button type="button">time (UTC)</button></th>
<th data-sort="status"><button type="button">status</button></th>
<th data-sort="ioc"><button type="button">IOC matched</button></th>
<th data-sort="table"><button type="button">table</button></th>
<th data-sort="device"><button type="button">device</button></th>
<th>connection, process, user, action</th>
<th data-sort="evidence"><button type="button">evidence (file:line)</button></th>
</tr></thead><tbody id="hits-body"></tbody></table>
<div class="pager"><button type="button" id="page-first">first</button><button type="button" id="page-previous">previous</button><span id="hits-page"></span><button type="button" id="page-next">next</button><button type="button" id="page-last">last</button></div>
</section>`;

function hitsTable(parts: PageParts): string {
  if (!parts.leftOut) return HITS_TABLE.replace('TOTAL', () => parts.totalHits);
  const { held, total, note } = parts.leftOut;
  // the script writes the rows it holds into #hits-total: say they are this page's, not the report's
  return HITS_TABLE.replace('(<span id="hits-total">TOTAL</span> in the report)', () => `(<span id="hits-total">${held}</span> on this page, of ${total} in the report)`).replace(
    '<p id="hits-count">',
    () => `<p class="note" id="hits-left-out">${note}</p>\n<p id="hits-count">`,
  );
}

/** The page, in pieces: the sections listing every IOC in force are written as they are made. */
export function* page(parts: PageParts): Generator<string> {
  yield `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(parts.script, parts.style)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${parts.title}</title>
<link rel="icon" href="data:,">
<style>${parts.style}</style>
</head>
<body>
<nav><a href="#summary">Summary</a><a href="#timeline">Timeline</a><a href="#devices">Devices</a><a href="#hits">Hits</a><a href="#errors">Errors</a><a href="#evidence">Evidence</a></nav>
<header id="top">
`;
  yield* parts.header;
  yield `
</header>
<main>
<section id="summary">
`;
  yield* parts.summary;
  yield `
</section>
<section id="timeline">
<h2>Timeline</h2>
${parts.timeline}
</section>
<section id="devices">
${parts.devices}
</section>
${hitsTable(parts)}
<section id="errors">
${parts.errors}
</section>
<section id="evidence">
${parts.evidence}
</section>
</main>
<script type="application/json" id="hit-data">`;
  yield* parts.hitData;
  yield `</script>
<script>${parts.script}</script>
</body>
</html>
`;
}
