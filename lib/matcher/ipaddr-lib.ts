import { createRequire } from 'node:module';
import type IpAddr from 'ipaddr.js';

// ipaddr.js, required rather than imported. It is CommonJS: imported as an
// ES module, Node first lexes its whole source for the names it exports, and
// that lexing (hot enough for V8 to optimise it on a second thread) cost more
// start-up than loading the rest of the matcher. Required, it is only
// compiled. In the single-file bundle `require` is the bundle's own and
// esbuild bundles the call; in the installed tool an ES module has none, so
// one is made here.

export type IPv4 = IpAddr.IPv4;
export type IPv6 = IpAddr.IPv6;

export const ipaddr: typeof IpAddr = typeof require === 'function' ? require('ipaddr.js') : createRequire(import.meta.url)('ipaddr.js');
