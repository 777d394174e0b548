import pino, { type Bindings, type ChildLoggerOptions, type DestinationStream, type Logger } from 'pino';

/**
 * Keys whose values are PHI or secrets wherever they appear (one or two levels deep). The code
 * logs ids, not records; this is the safety net for the day someone logs an object by mistake.
 */
const sensitiveKeys = [
  'name', 'givenName', 'familyName', 'displayName', 'birthDate', 'dob', 'phone', 'email', 'address',
  'addressLine', 'city', 'postalCode', 'ssn', 'mrn', 'value', 'body', 'variables', 'password', 'token',
];

export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  ...sensitiveKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactPaths, censor: '[Redacted]' },
      serializers: { err: safeError, error: safeError },
    },
    destination,
  );
}

/**
 * Errors are logged by type, code and stack frames only: messages of database and parser errors
 * can quote the values that caused them (a duplicate e-mail, a malformed birth date).
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const withCode = error as Error & { code?: unknown };
  return {
    type: error.name,
    code: typeof withCode.code === 'string' || typeof withCode.code === 'number' ? withCode.code : undefined,
    // Only the frames: a message (which may span several lines) can quote the values at fault.
    stack: error.stack?.split('\n').filter((line) => /^\s*at /.test(line)).map((line) => line.trim()),
  };
}

/**
 * Fastify's `childLoggerFactory`: each request's logger, bound to its request id. pino binds a
 * child's values through the redaction pass (about 5–20 µs a request with these paths, as much as
 * a trivial GraphQL answer costs); a string value has no keys to redact, so bindings that are all
 * strings are written as pino would write them, without it. Anything else goes to pino's `child`.
 */
export function requestLogger<L extends { child(bindings: Bindings, options?: ChildLoggerOptions): L }>(parent: L, bindings: Bindings, options: ChildLoggerOptions): L {
  let written = '';
  for (const key in bindings) {
    const value: unknown = bindings[key];
    if (typeof value !== 'string') return parent.child(bindings, options);
    written += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
  }
  for (const _option in options) return parent.child(bindings, options);
  const child = Object.create(parent) as Record<symbol, string>;
  child[pino.symbols.chindingsSym] = (parent as unknown as Record<symbol, string>)[pino.symbols.chindingsSym] + written;
  return child as unknown as L;
}
