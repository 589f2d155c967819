import { describe, expect, it } from 'vitest';
import {
  classifyHost,
  extractUrlTargets,
  parseLenientIpv4,
} from '../../../../functions/engine/net/ssrf-address.js';

function cls(host: string): string {
  const c = classifyHost(host);
  return `${c.class}${c.ip !== undefined ? ` ${c.ip}` : ''}${c.forms.length ? ` [${c.forms.join(',')}]` : ''}`;
}

describe('ssrf-address', () => {
  it('parses IPv4 the way URL parsers do (inet_aton forms)', () => {
    expect(parseLenientIpv4('169.254.169.254')).toEqual({ bytes: [169, 254, 169, 254], forms: [] });
    expect(parseLenientIpv4('2852039166')).toEqual({ bytes: [169, 254, 169, 254], forms: ['decimal'] });
    expect(parseLenientIpv4('0xA9FEA9FE')).toEqual({ bytes: [169, 254, 169, 254], forms: ['hex'] });
    expect(parseLenientIpv4('0251.0376.0251.0376')).toEqual({
      bytes: [169, 254, 169, 254],
      forms: ['octal'],
    });
    expect(parseLenientIpv4('127.1')).toEqual({ bytes: [127, 0, 0, 1], forms: ['short'] });
    expect(parseLenientIpv4('0xa9.254.0251.0376')?.bytes).toEqual([169, 254, 169, 254]);
    expect(parseLenientIpv4('10.0.0.1.')?.bytes).toEqual([10, 0, 0, 1]);
    for (const bad of ['256.1.1.1', '1.2.3.4.5', '4294967296', '08.1.1.1', 'example.com', '1.2.3.x', ''])
      expect(parseLenientIpv4(bad)).toBeUndefined();
  });

  it('classifies metadata, loopback, private, link-local, CGNAT and unspecified IPv4', () => {
    expect(cls('169.254.169.254')).toBe('metadata 169.254.169.254');
    expect(cls('169.254.170.2')).toBe('metadata 169.254.170.2');
    expect(cls('100.100.100.200')).toBe('metadata 100.100.100.200');
    expect(cls('0x7f000001')).toBe('loopback 127.0.0.1 [hex]');
    expect(cls('10.1.2.3')).toBe('private 10.1.2.3');
    expect(cls('172.31.0.5')).toBe('private 172.31.0.5');
    expect(cls('172.32.0.5')).toBe('public 172.32.0.5');
    expect(cls('192.168.1.1')).toBe('private 192.168.1.1');
    expect(cls('169.254.1.1')).toBe('link-local 169.254.1.1');
    expect(cls('100.64.0.1')).toBe('cgnat 100.64.0.1');
    expect(cls('0.0.0.0')).toBe('unspecified 0.0.0.0');
    expect(cls('0')).toBe('unspecified 0.0.0.0 [decimal]');
    expect(cls('8.8.8.8')).toBe('public 8.8.8.8');
  });

  it('classifies IPv6, including IPv4 embedded in mapped, compatible, NAT64 and 6to4 forms', () => {
    expect(cls('[fd00:ec2::254]')).toBe('metadata fd00:ec2:0:0:0:0:0:254');
    expect(cls('[::1]')).toBe('loopback 0:0:0:0:0:0:0:1');
    expect(cls('[::]')).toBe('unspecified 0:0:0:0:0:0:0:0');
    expect(cls('[fe80::1%25eth0]')).toBe('link-local fe80:0:0:0:0:0:0:1');
    expect(cls('[fd12:3456::1]')).toBe('unique-local fd12:3456:0:0:0:0:0:1');
    expect(cls('[::ffff:169.254.169.254]')).toBe('metadata 169.254.169.254 [ipv4-mapped]');
    expect(cls('[::ffff:a9fe:a9fe]')).toBe('metadata 169.254.169.254 [ipv4-mapped]');
    expect(cls('[::127.0.0.1]')).toBe('loopback 127.0.0.1 [ipv4-compatible]');
    expect(cls('[64:ff9b::a9fe:a9fe]')).toBe('metadata 169.254.169.254 [nat64]');
    expect(cls('[2002:a9fe:a9fe::]')).toBe('metadata 169.254.169.254 [6to4]');
    expect(cls('[2001:db8::1]')).toBe('public 2001:db8:0:0:0:0:0:1');
  });

  it('classifies names: metadata, localhost variants, wildcard DNS, internal suffixes; decodes tricks', () => {
    expect(cls('metadata.google.internal.')).toBe('metadata');
    expect(cls('METADATA.GOOGLE.INTERNAL')).toBe('metadata');
    expect(cls('localhost.')).toBe('loopback');
    expect(cls('api.localhost')).toBe('loopback');
    expect(cls('lvh.me')).toBe('loopback [wildcard-dns]');
    expect(cls('169.254.169.254.nip.io')).toBe('metadata 169.254.169.254 [wildcard-dns]');
    expect(cls('app-10-0-0-5.sslip.io')).toBe('private 10.0.0.5 [wildcard-dns]');
    expect(cls('ip-10-0-1-2.ec2.internal')).toBe('internal-name');
    expect(cls('printer.local')).toBe('internal-name');
    expect(cls('%31%36%39.254.169.254')).toBe('metadata 169.254.169.254 [percent-encoded]');
    expect(cls('１６９．２５４．１６９．２５４')).toBe('metadata 169.254.169.254 [unicode]');
    expect(cls('docs.example.com')).toBe('public');
  });

  it('extracts URL targets with userinfo, wrappers, opaque schemes and backslashes', () => {
    expect(extractUrlTargets('see http://good.example@169.254.169.254/latest/meta-data/ now')).toEqual([
      { scheme: 'http', host: '169.254.169.254', path: '/latest/meta-data/', userinfo: true },
    ]);
    expect(extractUrlTargets('jar:http://evil.example/x.jar!/a.class')).toEqual([
      { scheme: 'jar', host: 'evil.example', path: '/x.jar!/a.class', userinfo: false },
    ]);
    expect(extractUrlTargets('open file:/etc/passwd and netdoc:///etc/shadow')).toEqual([
      { scheme: 'netdoc', host: '', path: '/etc/shadow', userinfo: false },
      { scheme: 'file', host: '', path: '/etc/passwd', userinfo: false },
    ]);
    expect(extractUrlTargets('http://169.254.169.254\\@good.example/')[0]?.host).toBe('169.254.169.254');
    expect(extractUrlTargets('http://[::ffff:a9fe:a9fe]:80/x')[0]?.host).toBe('[::ffff:a9fe:a9fe]');
    expect(extractUrlTargets('no urls here: just text')).toEqual([]);
  });

  it('a URL ends at any white space, quote or angle bracket; its scheme is made of scheme characters', () => {
    // Every character /\s/ matches, including the Unicode spaces and line separators.
    for (const space of ['\t', '\n', '\v', '\f', '\r', ' ', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff']) {
      expect(extractUrlTargets(`x http://169.254.169.254/a${space}b`)).toEqual([
        { scheme: 'http', host: '169.254.169.254', path: '/a', userinfo: false },
      ]);
    }
    for (const end of ['"', "'", '<', '>', '`']) {
      expect(extractUrlTargets(`http://h.example/p${end}q`)[0]?.path).toBe('/p');
      expect(extractUrlTargets(`http://h.example${end}q`)[0]?.host).toBe('h.example');
    }
    // Zero-width and other format characters are not white space: they stay in the URL.
    expect(extractUrlTargets('http://h.example/a\u200bb')[0]?.path).toBe('/a\u200bb');
    expect(extractUrlTargets('x+svn.ssh-1://h.example/')[0]?.scheme).toBe('x+svn.ssh-1');
    expect(extractUrlTargets('_http://h.example/')[0]?.scheme).toBe('http');
    expect(extractUrlTargets('é://h.example/')).toEqual([]);
  });

  it('pathological 100 KB inputs finish', () => {
    for (const input of [
      '://'.repeat(33_000),
      'a'.repeat(100_000) + '://',
      'jar:'.repeat(25_000),
      'file:'.repeat(20_000) + 'x',
      '.'.repeat(100_000),
      '9'.repeat(100_000),
    ]) {
      expect(extractUrlTargets(input).length).toBeLessThanOrEqual(8);
      expect(classifyHost(input).class).toBe('public');
    }
  });
});
