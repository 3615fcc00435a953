// The page's styles. Fonts are the machine's own (system-ui, monospace):
// nothing is fetched. Colors of the timeline's lines are the Okabe-Ito set,
// told apart with the common kinds of color blindness; every line is also
// named in the legend, so color never carries meaning alone.

export const PAGE_STYLE = `
:root { color-scheme: light; --active: #b00020; --suppressed: #8a8a8a; --line: #d8d8d8; --muted: #555; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1280px; padding: 1rem 1.5rem 3rem; font: 14px/1.45 system-ui, sans-serif; color: #111; background: #fff; }
h1 { font-size: 1.5rem; margin: .5rem 0; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; padding-bottom: .2rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
nav { position: sticky; top: 0; background: #fff; border-bottom: 1px solid var(--line); padding: .4rem 0; z-index: 1; }
nav a { margin-right: 1rem; }
code, .path, .evidence, .sha, .time { font-family: ui-monospace, monospace; font-size: .92em; }
.path, .evidence, .sha, .who { overflow-wrap: anywhere; }
.device { overflow-wrap: break-word; }
button.device { display: inline-block; max-width: 32ch; }
table.hits td.device { max-width: 32ch; }
td, dd, li, .who, .device { unicode-bidi: isolate; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .5rem 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(24rem, 1fr)); gap: 0 2rem; }
.source, .note, .caption { color: var(--muted); margin: .3rem 0; }
table { border-collapse: collapse; margin: .4rem 0; }
th, td { text-align: left; vertical-align: top; padding: .25rem .6rem .25rem 0; border-bottom: 1px solid var(--line); }
th { font-weight: 600; }
td.n, .n { text-align: right; font-variant-numeric: tabular-nums; }
.verdict { font-size: 1.1rem; font-weight: 600; padding: .5rem .8rem; border-left: 4px solid; }
.verdict.found { border-color: var(--active); color: var(--active); background: #fdecee; }
.verdict.clear { border-color: #2e7d32; color: #1b5e20; background: #edf7ed; }
.verdict.partial { border-color: #b26a00; color: #7a4a00; background: #fff4e0; }
.figures { display: flex; gap: 2.5rem; margin: .8rem 0; }
.figure .n { font-size: 2rem; font-weight: 700; display: block; text-align: left; }
.figure.hits.alert .n { color: var(--active); }
.figure.hits.clear .n { color: #1b5e20; }
.figure.suppressed .n { color: var(--suppressed); }
.figure.errors .n { color: #9a6700; }
svg.timeline { width: 100%; height: auto; display: block; }
svg.timeline text { font: 11px system-ui, sans-serif; fill: #333; }
svg.timeline .panel-name { font-weight: 600; }
svg.timeline .axis { stroke: #333; }
svg.timeline .grid { stroke: #eee; }
svg.timeline .series { fill: none; stroke-width: 1.6; }
svg.timeline rect.bin { fill: transparent; cursor: pointer; }
svg.timeline rect.bin:hover { fill: rgba(0, 0, 0, .06); }
svg.timeline .cut { stroke: #333; stroke-dasharray: 4 3; }
svg.timeline .beyond path { fill: #333; }
svg.timeline .beyond-n { font-weight: 600; }
.span-note { margin: .3rem 0; }
details.all-times { margin: .3rem 0 .6rem; }
details.all-times summary { cursor: pointer; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .2rem 1.5rem; }
.swatch { display: inline-block; width: 1.2em; height: .6em; margin-right: .35em; vertical-align: middle; }
.s0 { stroke: #0072b2; background: #0072b2; } .s1 { stroke: #e69f00; background: #e69f00; }
.s2 { stroke: #009e73; background: #009e73; } .s3 { stroke: #d55e00; background: #d55e00; }
.s4 { stroke: #cc79a7; background: #cc79a7; } .s5 { stroke: #56b4e9; background: #56b4e9; }
.s6 { stroke: #8c6d00; background: #8c6d00; } .s7 { stroke: #666; background: #666; }
.swatch.active, svg.bar .active { background: var(--active); fill: var(--active); }
.swatch.suppressed, svg.bar .suppressed { background: var(--suppressed); fill: var(--suppressed); }
td.bar-cell { width: 40%; }
svg.bar { width: 100%; height: .8em; display: block; margin-top: .3em; }
button.link { border: 0; background: none; padding: 0; color: #0645ad; text-decoration: underline; cursor: pointer; font: inherit; text-align: left; }
#hits-controls { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin: .5rem 0; }
#hits-controls label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
#hits-controls select, #hits-controls input { font: inherit; max-width: 22rem; }
#filter-window { background: #eef3fb; padding: .2rem .5rem; border-radius: 3px; }
.pager { display: flex; gap: .5rem; align-items: center; margin: .5rem 0; }
table.hits { width: 100%; }
table.hits th button { border: 0; background: none; padding: 0; font: inherit; font-weight: 600; cursor: pointer; }
table.hits th[aria-sort="ascending"] button::after { content: " \\25B2"; }
table.hits th[aria-sort="descending"] button::after { content: " \\25BC"; }
table.hits tr.suppressed td { color: #666; }
table.hits tr.active td.status { color: var(--active); font-weight: 600; }
table.hits td.time { white-space: nowrap; }
table.hits td.ioc div + div { margin-top: .2rem; }
table.errors td:first-child { font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
[hidden] { display: none !important; }
@media print {
  nav, #hits-controls, .pager, .caption { display: none; }
  body { max-width: none; }
}
`;
