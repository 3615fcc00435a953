// Preloaded with `node --import` by the no-network test: any attempt to use
// the network makes the process fail loudly, whatever the code under test does
// with the error.
import { syncBuiltinESMExports } from 'node:module';
import { writeSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import http2 from 'node:http2';
import dgram from 'node:dgram';

function forbid(what: string): never {
  writeSync(2, `NETWORK ACCESS ATTEMPTED: ${what}\n`);
  process.exit(99);
}

function trap(target: object, names: string[], label: string): void {
  for (const name of names) {
    Object.defineProperty(target, name, { value: () => forbid(`${label}.${name}`), configurable: true, writable: true });
  }
}

trap(net, ['connect', 'createConnection', 'createServer'], 'net');
trap(net.Socket.prototype, ['connect'], 'net.Socket');
trap(tls, ['connect', 'createServer'], 'tls');
trap(dns, ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'reverse', 'lookupService'], 'dns');
trap(dns.promises, ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'reverse', 'lookupService'], 'dns.promises');
trap(http, ['request', 'get', 'createServer'], 'http');
trap(https, ['request', 'get', 'createServer'], 'https');
trap(http2, ['connect', 'createServer', 'createSecureServer'], 'http2');
trap(dgram, ['createSocket'], 'dgram');
trap(globalThis, ['fetch', 'WebSocket', 'EventSource'], 'globalThis');
syncBuiltinESMExports();
