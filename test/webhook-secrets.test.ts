import { createHmac } from 'node:crypto';
import { loadConfig } from '../src/config';
import { SecretBox } from '../src/modules/webhooks/secret-box';
import { signatureHeader, verifySignature } from '../src/modules/webhooks/signature';

describe('webhook secrets at rest', () => {
  const box = new SecretBox(Buffer.alloc(32, 7));

  it('opens what it sealed, and the sealed text does not contain the secret', () => {
    const secret = SecretBox.newSecret();
    const sealed = box.seal(secret);
    expect(sealed).not.toContain(secret);
    expect(box.seal(secret)).not.toBe(sealed);
    expect(box.open(sealed)).toBe(secret);
  });

  it('refuses a sealed secret altered or sealed under another key', () => {
    const sealed = box.seal('whsec-example');
    const parts = sealed.split('.');
    const altered = [...parts.slice(0, 3), Buffer.from('whsec-exampla').toString('base64url')].join('.');
    expect(() => box.open(altered)).toThrow();
    expect(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed)).toThrow();
  });

  it('is required in production and must be 32 bytes', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/WEBHOOK_SECRETS_KEY/);
    expect(() => loadConfig({ NODE_ENV: 'development', WEBHOOK_SECRETS_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/32 bytes/);
    expect(loadConfig({ NODE_ENV: 'production', WEBHOOK_SECRETS_KEY: Buffer.alloc(32, 1).toString('base64') }).WEBHOOK_SECRETS_KEY).toBeDefined();
  });
});

describe('webhook signatures', () => {
  const body = Buffer.from('{"eventId":"evt-0001"}');
  const now = new Date('2026-12-01T12:00:00Z');

  it('accepts its own signature, and any of several v1 entries during a rotation', () => {
    expect(verifySignature(signatureHeader(['s1'], body, now), body, ['s1'], now)).toEqual({ valid: true });
    expect(verifySignature(signatureHeader(['old', 'new'], body, now), body, ['new'], now)).toEqual({ valid: true });
  });

  it('matches the documented recipe: HMAC-SHA256(secret, "<t>." + body) in hex', () => {
    const t = Math.floor(now.getTime() / 1000);
    const hex = createHmac('sha256', 's1').update(`${t}.${body.toString()}`).digest('hex');
    expect(signatureHeader(['s1'], body, now)).toBe(`t=${t},v1=${hex}`);
  });

  it.each([
    ['missing', undefined, /Missing/],
    ['no timestamp', 'v1=' + 'a'.repeat(64), /Malformed/],
    ['no signature', 't=1796126400', /Malformed/],
    ['short digest', 't=1796126400,v1=abc', /Malformed/],
    ['two timestamps', 't=1796126400,t=1796126400,v1=' + 'a'.repeat(64), /Malformed/],
    ['no equals sign', 'garbage', /Malformed/],
  ])('refuses a header %s', (_case, header, reason) => {
    const check = verifySignature(header, body, ['s1'], now);
    expect(check.valid).toBe(false);
    expect(check.valid === false && check.reason).toMatch(reason);
  });

  it('refuses a wrong secret, a changed body, and a timestamp more than 300 s away', () => {
    expect(verifySignature(signatureHeader(['other'], body, now), body, ['s1'], now).valid).toBe(false);
    expect(verifySignature(signatureHeader(['s1'], body, now), Buffer.from('{"eventId":"evt-0002"}'), ['s1'], now).valid).toBe(false);
    const stale = signatureHeader(['s1'], body, new Date(now.getTime() - 301_000));
    expect(verifySignature(stale, body, ['s1'], now)).toEqual({ valid: false, reason: expect.stringMatching(/window/) });
    const early = signatureHeader(['s1'], body, new Date(now.getTime() + 301_000));
    expect(verifySignature(early, body, ['s1'], now).valid).toBe(false);
    expect(verifySignature(signatureHeader(['s1'], body, new Date(now.getTime() - 299_000)), body, ['s1'], now).valid).toBe(true);
  });
});
