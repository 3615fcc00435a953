// The page's own script: the hits table (filters, sorting, pages) and the
// links into it from the timeline and the device list.
//
// It is written here as a real function so that the same `tsc` type-checks it
// against the DOM, and it is embedded as its source text (Function.toString),
// so there is no second build step and nothing to read from disk at run time
// (the tool also ships as one file). The price: the function runs in the
// browser, not in Node, so it must not refer to anything outside its own body
// (no imports, no module constants). The browser tests run it.
//
// Safety: every text reaches the page through textContent or a form value,
// never as markup. The texts are already in their shown form (see
// hit-data.ts), so nothing here needs escaping.

export function hitsPage(): void {
  'use strict';

  type Cell = number | null;
  interface Tally {
    name: number;
    active: number;
    suppressed: number;
  }
  interface Data {
    columns: string[];
    matchColumns: string[];
    strings: string[];
    rows: Cell[][];
    iocs: Tally[];
    devices: Tally[];
    tables: number[];
    exclusions: number[];
  }

  const PAGE_SIZE = 100;
  const NONE = -1;

  const byId = <T extends HTMLElement>(id: string): T => {
    const element = document.getElementById(id);
    if (!element) throw new Error(`the page lacks #${id}`);
    return element as T;
  };

  const data = JSON.parse(byId('hit-data').textContent ?? '') as Data;
  const S = data.strings;
  const rows = data.rows;

  // positions come from the data, so a change of layout on the Node side cannot be misread here
  const column = (name: string, names: string[]): number => {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`the hit data lacks the column ${name}`);
    return i;
  };
  const C = {
    time: column('time', data.columns),
    timeText: column('timeText', data.columns),
    table: column('table', data.columns),
    device: column('device', data.columns),
    suppressedBy: column('suppressedBy', data.columns),
    malformed: column('malformed', data.columns),
    file: column('file', data.columns),
    line: column('line', data.columns),
    record: column('record', data.columns),
    connection: column('connection', data.columns),
    actors: column('actors', data.columns),
    matches: column('matches', data.columns),
  };
  const M = {
    width: data.matchColumns.length,
    ioc: column('ioc', data.matchColumns),
    field: column('field', data.matchColumns),
    port: column('port', data.matchColumns),
    portMatch: column('portMatch', data.matchColumns),
  };
  const firstMatch = data.columns.length;
  const num = (row: Cell[], i: number): number => row[i] as number;
  const text = (i: number): string => (i === NONE ? '' : S[i]);
  const count = (n: number): string => n.toLocaleString('en-US');

  // ---- state ----

  interface State {
    ioc: number;
    device: number;
    table: number;
    /** '' all, 'active', 'suppressed', or 'by:' and an exclusion id's string index */
    status: string;
    text: string;
    from: number | null;
    to: number | null;
    sort: string;
    descending: boolean;
    page: number;
  }
  const state: State = { ioc: NONE, device: NONE, table: NONE, status: '', text: '', from: null, to: null, sort: 'time', descending: true, page: 0 };

  // ---- filtering ----

  let haystacks: string[] | null = null;
  /** Every text of a hit, lower case, built on the first text search only. */
  const haystack = (i: number): string => {
    haystacks ??= new Array<string>(rows.length);
    let h = haystacks[i];
    if (h === undefined) {
      const row = rows[i];
      const parts = [C.timeText, C.table, C.device, C.suppressedBy, C.file, C.connection, C.actors].map((c) => text(num(row, c)));
      const time = row[C.time];
      if (time !== null) parts.push(new Date(time).toISOString());
      parts.push(`:${num(row, C.line)}`);
      for (let m = 0; m < num(row, C.matches); m++) {
        const at = firstMatch + m * M.width;
        parts.push(text(num(row, at + M.ioc)), text(num(row, at + M.field)));
      }
      h = parts.join('\n').toLowerCase();
      haystacks[i] = h;
    }
    return h;
  };

  const passes = (i: number): boolean => {
    const row = rows[i];
    if (state.device !== NONE && row[C.device] !== state.device) return false;
    if (state.table !== NONE && row[C.table] !== state.table) return false;
    const by = num(row, C.suppressedBy);
    if (state.status === 'active' && by !== NONE) return false;
    if (state.status === 'suppressed' && by === NONE) return false;
    if (state.status.startsWith('by:') && by !== Number(state.status.slice(3))) return false;
    if (state.from !== null && state.to !== null) {
      const time = row[C.time];
      if (time === null || time < state.from || time >= state.to) return false;
    }
    if (state.ioc !== NONE) {
      let found = false;
      for (let m = 0; m < num(row, C.matches) && !found; m++) found = row[firstMatch + m * M.width + M.ioc] === state.ioc;
      if (!found) return false;
    }
    return state.text === '' || haystack(i).includes(state.text);
  };

  // ---- sorting ----

  let ranks: Int32Array | null = null;
  /** Each string's place in a natural order (`host-2` before `host-10`); computed on the first sort. */
  const rank = (i: number): number => {
    if (ranks === null) {
      const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
      const order = S.map((_, j) => j).sort((a, b) => collator.compare(S[a], S[b]));
      ranks = new Int32Array(S.length);
      order.forEach((j, place) => (ranks![j] = place));
    }
    return i === NONE ? -1 : ranks[i];
  };

  type Key = (row: Cell[]) => number;
  const keys: Record<string, Key[]> = {
    time: [],
    status: [(row) => rank(num(row, C.suppressedBy))],
    ioc: [(row) => (num(row, C.matches) > 0 ? rank(num(row, firstMatch + M.ioc)) : -1)],
    table: [(row) => rank(num(row, C.table))],
    device: [(row) => rank(num(row, C.device))],
    evidence: [(row) => rank(num(row, C.file)), (row) => num(row, C.line)],
  };

  const compare = (a: number, b: number): number => {
    const ra = rows[a];
    const rb = rows[b];
    const direction = state.descending ? -1 : 1;
    if (state.sort === 'time') {
      const ta = ra[C.time];
      const tb = rb[C.time];
      // a hit without a time is last whichever way, as in the report
      if (ta === null || tb === null) return ta === tb ? a - b : ta === null ? 1 : -1;
      if (ta !== tb) return (ta - tb) * direction;
      return a - b;
    }
    for (const key of keys[state.sort]) {
      const d = key(ra) - key(rb);
      if (d !== 0) return d * direction;
    }
    // ties keep the report's order: newest first
    return a - b;
  };

  // ---- drawing ----

  const tbody = byId<HTMLTableSectionElement>('hits-body');

  const td = (tr: HTMLTableRowElement, lines: string[], className?: string): HTMLTableCellElement => {
    const cell = document.createElement('td');
    if (className) cell.className = className;
    lines.forEach((line, n) => {
      if (n > 0) cell.appendChild(document.createElement('br'));
      cell.appendChild(document.createTextNode(line));
    });
    tr.appendChild(cell);
    return cell;
  };

  const portWords = (row: Cell[], at: number): string => {
    const field = num(row, at + M.field);
    if (field === NONE) return 'in the raw text of the record (it could not be parsed)';
    const port = num(row, at + M.port);
    if (port === NONE) return `in ${S[field]}; no port recorded`;
    const match = num(row, at + M.portMatch);
    return `in ${S[field]}; port seen ${port}, port match: ${match === NONE ? 'unknown' : match === 1 ? 'yes' : 'no'}`;
  };

  const drawRow = (i: number): HTMLTableRowElement => {
    const row = rows[i];
    const tr = document.createElement('tr');
    const by = num(row, C.suppressedBy);
    tr.className = by === NONE ? 'active' : 'suppressed';
    const time = row[C.time];
    td(tr, [time === null ? S[num(row, C.timeText)] : new Date(time).toISOString()], 'time');
    const status = [by === NONE ? 'active' : `suppressed by ${S[by]}`];
    if (num(row, C.malformed) === 1) status.push('malformed record');
    td(tr, status, 'status');
    const iocCell = document.createElement('td');
    iocCell.className = 'ioc';
    for (let m = 0; m < num(row, C.matches); m++) {
      const at = firstMatch + m * M.width;
      const line = document.createElement('div');
      const label = document.createElement('b');
      label.textContent = text(num(row, at + M.ioc));
      line.appendChild(label);
      line.appendChild(document.createTextNode(` ${portWords(row, at)}`));
      iocCell.appendChild(line);
    }
    tr.appendChild(iocCell);
    td(tr, [S[num(row, C.table)]]);
    td(tr, [S[num(row, C.device)]], 'device');
    td(tr, [text(num(row, C.connection)), text(num(row, C.actors))].filter((t) => t !== ''), 'who');
    td(tr, [`${S[num(row, C.file)]}:${num(row, C.line)}`, `record ${num(row, C.record)}`], 'evidence');
    return tr;
  };

  let shown: number[] = [];

  const drawPage = (): void => {
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    state.page = Math.min(Math.max(0, state.page), pages - 1);
    const start = state.page * PAGE_SIZE;
    const end = Math.min(shown.length, start + PAGE_SIZE);
    const fragment = document.createDocumentFragment();
    for (let k = start; k < end; k++) fragment.appendChild(drawRow(shown[k]));
    if (shown.length === 0) {
      const tr = document.createElement('tr');
      td(tr, [rows.length === 0 ? 'No hit in this report.' : 'No hit matches these filters.'], 'empty').colSpan = 7;
      fragment.appendChild(tr);
    }
    tbody.replaceChildren(fragment);
    byId('hits-range').textContent = shown.length === 0 ? '0' : `${count(start + 1)}–${count(end)}`;
    byId('hits-matching').textContent = count(shown.length);
    byId('hits-page').textContent = `page ${count(state.page + 1)} of ${count(pages)}`;
    byId<HTMLButtonElement>('page-first').disabled = byId<HTMLButtonElement>('page-previous').disabled = state.page === 0;
    byId<HTMLButtonElement>('page-next').disabled = byId<HTMLButtonElement>('page-last').disabled = state.page >= pages - 1;
  };

  const refresh = (): void => {
    shown = [];
    for (let i = 0; i < rows.length; i++) if (passes(i)) shown.push(i);
    if (state.sort !== 'time' || !state.descending) shown.sort(compare);
    state.page = 0;
    for (const th of Array.from(document.querySelectorAll<HTMLElement>('#hits th[data-sort]'))) {
      th.setAttribute('aria-sort', th.dataset.sort === state.sort ? (state.descending ? 'descending' : 'ascending') : 'none');
    }
    byId('filter-window').hidden = state.from === null;
    if (state.from !== null && state.to !== null) {
      byId('filter-window-text').textContent = `${new Date(state.from).toISOString()} to ${new Date(state.to).toISOString()}`;
    }
    drawPage();
  };

  // ---- controls ----

  const fill = (select: HTMLSelectElement, options: Array<[string, string]>): void => {
    const fragment = document.createDocumentFragment();
    for (const [value, label] of options) {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = label;
      fragment.appendChild(option);
    }
    select.appendChild(fragment);
  };
  const tallyLabel = (t: Tally): string => `${S[t.name]} (${count(t.active)} active, ${count(t.suppressed)} suppressed)`;

  const iocSelect = byId<HTMLSelectElement>('filter-ioc');
  fill(iocSelect, data.iocs.filter((t) => t.active + t.suppressed > 0).map((t) => [String(t.name), tallyLabel(t)]));
  const deviceSelect = byId<HTMLSelectElement>('filter-device');
  fill(deviceSelect, data.devices.map((t) => [String(t.name), tallyLabel(t)]));
  const tableSelect = byId<HTMLSelectElement>('filter-table');
  fill(tableSelect, data.tables.map((t) => [String(t), S[t]]));
  const statusSelect = byId<HTMLSelectElement>('filter-status');
  fill(statusSelect, data.exclusions.map((e) => [`by:${e}`, `suppressed by ${S[e]}`]));
  const textInput = byId<HTMLInputElement>('filter-text');

  const readControls = (): void => {
    state.ioc = iocSelect.value === '' ? NONE : Number(iocSelect.value);
    state.device = deviceSelect.value === '' ? NONE : Number(deviceSelect.value);
    state.table = tableSelect.value === '' ? NONE : Number(tableSelect.value);
    state.status = statusSelect.value;
    state.text = textInput.value.trim().toLowerCase();
  };
  for (const select of [iocSelect, deviceSelect, tableSelect, statusSelect]) {
    select.addEventListener('change', () => {
      readControls();
      refresh();
    });
  }
  let typing: number | undefined;
  textInput.addEventListener('input', () => {
    clearTimeout(typing);
    typing = window.setTimeout(() => {
      readControls();
      refresh();
    }, 150);
  });

  byId('filter-reset').addEventListener('click', () => {
    for (const select of [iocSelect, deviceSelect, tableSelect, statusSelect]) select.value = '';
    textInput.value = '';
    state.from = state.to = null;
    readControls();
    refresh();
  });
  byId('filter-window-clear').addEventListener('click', () => {
    state.from = state.to = null;
    refresh();
  });

  for (const th of Array.from(document.querySelectorAll<HTMLElement>('#hits th[data-sort]'))) {
    th.querySelector('button')?.addEventListener('click', () => {
      const sort = th.dataset.sort ?? 'time';
      // a second click on the same column turns the order round; a new column starts with the time newest first, others A to Z
      state.descending = state.sort === sort ? !state.descending : sort === 'time';
      state.sort = sort;
      refresh();
    });
  }

  const turn = (to: (page: number) => number) => () => {
    state.page = to(state.page);
    drawPage();
  };
  byId('page-first').addEventListener('click', turn(() => 0));
  byId('page-previous').addEventListener('click', turn((p) => p - 1));
  byId('page-next').addEventListener('click', turn((p) => p + 1));
  byId('page-last').addEventListener('click', turn(() => Number.MAX_SAFE_INTEGER));

  const showHits = (): void => byId('hits').scrollIntoView();

  // the device list above: a click lists that device's hits
  const deviceIndex = new Map(data.devices.map((t) => [S[t.name], t.name]));
  for (const button of Array.from(document.querySelectorAll<HTMLElement>('button.device'))) {
    button.addEventListener('click', () => {
      const name = deviceIndex.get(button.dataset.device ?? '');
      if (name === undefined) return;
      deviceSelect.value = String(name);
      readControls();
      refresh();
      showHits();
    });
  }

  // the timeline: a click on a period lists its hits
  for (const bin of Array.from(document.querySelectorAll<SVGRectElement>('svg.timeline rect.bin'))) {
    bin.addEventListener('click', () => {
      state.from = Number(bin.dataset.from);
      state.to = Number(bin.dataset.to);
      refresh();
      showHits();
    });
  }

  byId('hits-total').textContent = count(rows.length);
  byId('hits-controls').hidden = false;
  refresh();
  document.documentElement.dataset.ready = 'true';
}

/** The script as the page embeds it. */
export const CLIENT_SCRIPT = `(${hitsPage.toString()})();\n`;
