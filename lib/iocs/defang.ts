// Threat-intel text is often "defanged" so that nobody clicks or resolves it
// by accident: `179[.]43[.]139[.]84`, `hxxp://`, `1.2.3.4[:]443`. This undoes
// the common forms, and only those: anything else stays as written and is
// then refused or counted, never guessed at.

const DOTS = /\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}/gi;
const COLONS = /\[:\]|\(:\)/g;
const SCHEME = /^(?:hxxps?|fxps?)(?=:\/\/)/i;

export function refang(text: string): string {
  const s = text.trim().replace(DOTS, '.').replace(COLONS, ':').replace(/\[:\/\/\]/g, '://');
  return s.replace(SCHEME, (scheme) => scheme.toLowerCase().replace('hxxp', 'http').replace('fxp', 'ftp'));
}
