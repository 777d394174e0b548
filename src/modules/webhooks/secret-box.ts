import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../config';

/**
 * Webhook secrets must be readable to sign and verify with (a hash would not do), so they are kept
 * encrypted with AES-256-GCM under WEBHOOK_SECRETS_KEY: a copy of the database alone reveals none.
 * Stored as `v1.<iv>.<tag>.<ciphertext>`, base64url parts.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('A secret box key is 32 bytes');
    this.key = key;
  }

  /** From the configuration; outside production, without a key, a fixed development key (the config refuses production without one). */
  static fromConfig(config: Pick<Config, 'WEBHOOK_SECRETS_KEY'>): SecretBox {
    const key = config.WEBHOOK_SECRETS_KEY
      ? Buffer.from(config.WEBHOOK_SECRETS_KEY, 'base64')
      : createHash('sha256').update('carebridge development webhook secrets key').digest();
    return new SecretBox(key);
  }

  seal(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('Not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** A new random secret to hand to a partner once (32 bytes, base64url). */
  static newSecret(): string {
    return randomBytes(32).toString('base64url');
  }
}
