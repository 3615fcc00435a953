// Threat-intel text is often "defanged" so that nobody clicks or resolves it
// by accident: `179[.]43[.]139[.]84`, `hxxp://`, `1.2.3.4[:]443`. This undoes
// the common forms, and only those: anything else stays as written and is
// then refused or counted, never guessed at.

const DOTS = /\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}/gi;
const COLONS = /\[:\]|\(:\)/g;
const SCHEME = /^(?:hxxps?|fxps?)(?=:\/\/)/i;

export function refang(text: string): string {
  const trimmed = text.trim();
  // every defanged form has a bracket or starts with its scheme: most feed lines have neither, and are left as they are
  if (!/[[({]/.test(trimmed) && !SCHEME.test(trimmed)) return trimmed;
  const s = trimmed.replace(DOTS, '.').replace(COLONS, ':').replace(/\[:\/\/\]/g, '://');
  return s.replace(SCHEME, (scheme) => scheme.toLowerCase().replace('hxxp', 'http').replace('fxp', 'ftp'));
}
