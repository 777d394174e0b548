import { z } from 'zod';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/**
 * MLLP_LABS: the labs that may send over MLLP, as JSON, e.g.
 * [{"organizationId":"…","sendingFacility":"REGIONAL LAB","secretSha256":"<64 hex digits>"}]:
 * a message is theirs when its MSH-4 is the sending facility and the SHA-256 of its MSH-8 is the hash.
 */
const mllpLabsFromEnv = z
  .string()
  .transform((value, context) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'expected a JSON array of labs' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(
        z.object({
          organizationId: z.uuid(),
          sendingFacility: z.string().trim().min(1).max(180),
          secretSha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'the SHA-256 of the secret, as 64 hex digits'),
        }),
      )
      .min(1),
  );

const listFromEnv = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean));

/**
 * Every setting CareBridge reads from the environment, with the default used for local work.
 * The README's configuration table mirrors this object; keep the two in step.
 */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    PUBLIC_URL: z.url().optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** The built portal (`npm run build`), served at /app/; relative to the working directory. */
    PORTAL_DIR: z.string().min(1).default('dist/web'),

    DATABASE_URL: z.url().default('postgresql://postgres@127.0.0.1:5432/carebridge'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
      .default('carebridge'),

    JWT_ISSUER: z.string().min(1).default('carebridge-dev'),
    JWT_AUDIENCE: z.string().min(1).default('carebridge-api'),
    JWT_ALGORITHMS: listFromEnv
      .pipe(z.array(z.enum(['ES256', 'ES384', 'RS256', 'RS384', 'RS512', 'PS256', 'EdDSA'])).min(1))
      .default(['ES256']),
    JWT_JWKS_URL: z.url().optional(),
    JWT_PUBLIC_KEY_FILE: z.string().min(1).default('.keys/jwt-public.pem'),
    JWT_PRIVATE_KEY_FILE: z.string().min(1).default('.keys/jwt-private.pem'),
    JWT_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
    /**
     * The portal's client id at the identity provider (JWT_ISSUER, found through its
     * /.well-known/openid-configuration): set, the portal signs people in there (authorization
     * code flow with PKCE) and sends the access token it gets to the API.
     */
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    /** The scopes the portal asks the identity provider for. */
    OIDC_SCOPES: z.string().min(1).default('openid profile'),
    DEV_TOKEN_TTL: z.string().regex(/^\d+[smhd]$/, 'a number followed by s, m, h or d').default('12h'),

    /**
     * How long a verified token is trusted without checking it against the database again (0: every
     * request); any change to a user or membership withdraws all trust at once (LISTEN credentials_changed).
     */
    CREDENTIAL_CACHE_SECONDS: z.coerce.number().min(0).max(3600).default(300),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
    GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).default(8),
    GRAPHQL_MAX_COMPLEXITY: z.coerce.number().int().min(1).default(5000),
    GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(10).default(2000),
    GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).default(15),
    GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0).default(20),
    GRAPHQL_INTROSPECTION: booleanFromEnv.optional(),
    /** Queries Apollo has already answered cleanly are answered again without its request pipeline (graphql/fast-path.ts). */
    GRAPHQL_FAST_PATH: booleanFromEnv.default(true),

    OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(10).default(500),
    OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
    JOB_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    OUTBOX_RECONCILE_SECONDS: z.coerce.number().min(0.1).default(60),
    OUTBOX_RECONCILE_AFTER_SECONDS: z.coerce.number().min(0).default(120),
    JOB_BACKOFF_MS: z.coerce.number().int().min(10).default(1000),
    /** BullMQ's lock on a running job; a job whose worker stops renewing it is stalled after this. */
    JOB_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(40_000),
    CRITICAL_ALERT_ESCALATION_SECONDS: z.coerce.number().min(0.1).default(1800),
    CONSENT_SWEEP_SECONDS: z.coerce.number().min(0.5).default(300),
    BREAK_GLASS_MINUTES: z.coerce.number().min(1).max(24 * 60).default(60),
    CONSENT_REMINDER_HOURS: z.coerce.number().min(0).default(48),
    /** A refill more than this many days past its due date (last fill + days' supply) is late (see pharmacy/adherence.ts). */
    REFILL_LATE_DAYS: z.coerce.number().int().min(0).max(365).default(7),
    /** A ROUTINE referral not acknowledged (still REQUESTED) this many business days (Monday to Friday, UTC) after it was sent: the recipient is reminded, the sender alerted. */
    REFERRAL_ACK_BUSINESS_DAYS: z.coerce.number().int().min(1).max(30).default(2),
    /** The same for an URGENT referral, in hours. */
    REFERRAL_ACK_URGENT_HOURS: z.coerce.number().min(0.1).max(24 * 7).default(4),
    /** The same for an EMERGENT referral, in hours. */
    REFERRAL_ACK_EMERGENT_HOURS: z.coerce.number().min(0.1).max(24 * 7).default(1),
    MLLP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    MLLP_HOST: z.string().min(1).default('127.0.0.1'),
    MLLP_LABS: mllpLabsFromEnv.optional(),
    /** The older one-lab listener: every message on the port is this lab's, trusted by network alone. */
    MLLP_LAB_ORGANIZATION_ID: z.uuid().optional(),

    NOTIFY_EMAIL_SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'expected an smtp:// or smtps:// URL' }).optional(),
    NOTIFY_EMAIL_FROM: z.email().optional(),
    NOTIFY_SIGN_IN_URL: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
    NOTIFY_EMAIL_POLL_SECONDS: z.coerce.number().min(0.1).default(5),
    NOTIFY_EMAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    NOTIFY_EMAIL_RETRY_SECONDS: z.coerce.number().min(0.1).default(60),

    /** How far ahead of the hub's clock a pharmacy event's occurredAt may be before it is refused (422). */
    PHARMACY_EVENT_MAX_AHEAD_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
    /** How long an API process keeps a webhook source's secrets without reading them again; any change forgets them at once (LISTEN webhook_sources_changed). */
    WEBHOOK_SOURCE_CACHE_SECONDS: z.coerce.number().min(0).max(3600).default(60),

    /** Encrypts webhook secrets at rest (AES-256-GCM): 32 bytes, base64. Required in production. */
    WEBHOOK_SECRETS_KEY: z
      .base64()
      .refine((value) => Buffer.from(value, 'base64').length === 32, 'expected 32 bytes, base64-encoded (openssl rand -base64 32)')
      .optional(),
  })
  .refine((env) => env.MLLP_PORT === undefined || (env.MLLP_LABS === undefined) !== (env.MLLP_LAB_ORGANIZATION_ID === undefined), {
    path: ['MLLP_LABS'],
    message: 'when MLLP_PORT is set, give either MLLP_LABS (the labs and their credentials) or MLLP_LAB_ORGANIZATION_ID (the one lab it serves), not both',
  })
  .refine((env) => env.NOTIFY_EMAIL_SMTP_URL === undefined || env.NOTIFY_EMAIL_FROM !== undefined, {
    path: ['NOTIFY_EMAIL_FROM'],
    message: 'required when NOTIFY_EMAIL_SMTP_URL is set: the sender address',
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.WEBHOOK_SECRETS_KEY !== undefined, {
    path: ['WEBHOOK_SECRETS_KEY'],
    message: 'required in production: the key webhook secrets are encrypted with (openssl rand -base64 32)',
  })
  .refine((env) => env.OIDC_CLIENT_ID === undefined || URL.canParse(env.JWT_ISSUER), {
    path: ['JWT_ISSUER'],
    message: 'with OIDC_CLIENT_ID set, the issuer must be the identity provider\'s URL (its discovery document is at <JWT_ISSUER>/.well-known/openid-configuration)',
  })
  .refine((env) => env.SHUTDOWN_TIMEOUT_MS > env.JOB_LOCK_MS, {
    path: ['SHUTDOWN_TIMEOUT_MS'],
    message: 'must be longer than JOB_LOCK_MS: a job still running when the budget runs out is stalled and run again',
  })
  .transform((env) => ({
    ...env,
    isProduction: env.NODE_ENV === 'production',
    introspection: env.GRAPHQL_INTROSPECTION ?? env.NODE_ENV !== 'production',
  }));

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment once; a bad value names the setting and what is wrong with it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const relevant = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = configSchema.safeParse(relevant);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return result.data;
}
