import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Config } from '../config';

type KeyFileSettings = Pick<Config, 'JWT_PUBLIC_KEY_FILE' | 'JWT_PRIVATE_KEY_FILE' | 'isProduction'>;

/**
 * Outside production, creates the local ES256 key pair the first time it is needed, so that
 * `npm start` works on a fresh clone. Production must bring its own keys or a JWKS URL.
 */
export function ensureLocalKeyPair(settings: KeyFileSettings): void {
  if (existsSync(settings.JWT_PUBLIC_KEY_FILE) && existsSync(settings.JWT_PRIVATE_KEY_FILE)) return;
  if (settings.isProduction) {
    throw new Error(
      `JWT key files are missing (${settings.JWT_PUBLIC_KEY_FILE}); set JWT_JWKS_URL or provide the key pair`,
    );
  }
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  for (const file of [settings.JWT_PUBLIC_KEY_FILE, settings.JWT_PRIVATE_KEY_FILE]) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  }
  writeFileSync(settings.JWT_PUBLIC_KEY_FILE, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  writeFileSync(settings.JWT_PRIVATE_KEY_FILE, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
}

export function readPublicKey(file: string): KeyObject {
  return createPublicKey(readFileSync(file));
}

export function readPrivateKey(file: string): KeyObject {
  return createPrivateKey(readFileSync(file));
}
