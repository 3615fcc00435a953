// How an exclusion compares a record's value with the values a rule names
// (docs/exclusions.md). Everything is case-insensitive and exact after these
// reductions: `rsync2` is not `rsync`, `chef-client` is not `chef`.

export type CompareKind = 'exact' | 'basename' | 'account';
export const COMPARE_KINDS: readonly CompareKind[] = ['exact', 'basename', 'account'];

/** After the last `/` or `\`, a trailing `.exe` dropped. */
export function basename(value: string): string {
  const cut = Math.max(value.lastIndexOf('/'), value.lastIndexOf('\\'));
  const name = cut >= 0 ? value.slice(cut + 1) : value;
  return name.replace(/\.exe$/i, '');
}

/** A command line's tokens, split on white space, each stripped of surrounding quotes. */
export function commandLineTokens(commandLine: string): string[] {
  return commandLine
    .split(/\s+/)
    .map((token) => token.replace(/^["']+|["']+$/g, ''))
    .filter((token) => token !== '');
}

/** The forms of a record value that a rule value may equal, lower case. */
export function valueForms(value: string, kind: CompareKind): string[] {
  const v = value.trim().toLowerCase();
  if (v === '') return [];
  switch (kind) {
    case 'exact':
      return [v];
    case 'basename':
      return [basename(v)];
    case 'account': {
      const forms = [v];
      const slash = v.lastIndexOf('\\');
      if (slash >= 0) forms.push(v.slice(slash + 1));
      const at = v.indexOf('@');
      if (at > 0) forms.push(v.slice(0, at));
      return forms;
    }
  }
}

/** A rule's own value, reduced the same way the record's is. */
export function ruleForm(value: string, kind: CompareKind): string {
  const v = value.trim().toLowerCase();
  return kind === 'basename' ? basename(v) : v;
}
