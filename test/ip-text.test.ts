import { expect } from 'chai';
import { readAddress, readUrlHost } from '../lib/matcher/ip-text.js';

describe('address text in a watched field', () => {
  const cases: Array<[string, string, number | null]> = [
    ['179.43.139.84', '179.43.139.84', null],
    ['  179.43.139.84 ', '179.43.139.84', null],
    ['"179.43.139.84"', '179.43.139.84', null],
    ["'179.43.139.84'", '179.43.139.84', null],
    ['[179.43.139.84]', '179.43.139.84', null],
    ['::ffff:179.43.139.84', '179.43.139.84', null],
    ['::FFFF:179.43.139.86', '179.43.139.86', null],
    ['0:0:0:0:0:ffff:179.43.139.86', '179.43.139.86', null],
    ['179.43.139.86:443', '179.43.139.86', 443],
    ['[::ffff:179.43.139.84]:8443', '179.43.139.84', 8443],
  ];
  for (const [value, ip, port] of cases) {
    it(`reads ${JSON.stringify(value)} as ${ip}${port === null ? '' : `:${port}`}`, () => {
      expect(readAddress(value)).to.deep.equal({ ip, port });
    });
  }

  for (const near of ['179.43.139.840', '179.43.139.8', '1179.43.139.84', '179.43.139.84.1', 'x179.43.139.84']) {
    it(`keeps the near miss ${near} distinct from the IOC`, () => {
      expect(readAddress(near)?.ip).to.not.equal('179.43.139.84');
    });
  }

  it('treats an empty value as no address', () => {
    expect(readAddress('  ')).to.equal(null);
  });
});

describe('RemoteUrl host', () => {
  const cases: Array<[string, string, number | null]> = [
    ['http://179.43.139.84/x', '179.43.139.84', 80],
    ['https://179.43.139.86/a?b=1', '179.43.139.86', 443],
    ['HTTPS://179.43.139.86', '179.43.139.86', 443],
    ['179.43.139.84:8443/path', '179.43.139.84', 8443],
    ['179.43.139.84', '179.43.139.84', null],
    ['https://[::ffff:179.43.139.84]:443/', '179.43.139.84', 443],
    ['http://user:pw@179.43.139.84:8080/', '179.43.139.84', 8080],
  ];
  for (const [value, ip, port] of cases) {
    it(`reads the host of ${value}`, () => {
      expect(readUrlHost(value)).to.deep.equal({ ip, port });
    });
  }

  it('never reads an IP out of the path or query', () => {
    expect(readUrlHost('http://example.com/179.43.139.84')?.ip).to.equal('example.com');
    expect(readUrlHost('https://cdn.example.net/?u=179.43.139.84')?.ip).to.equal('cdn.example.net');
  });
});
