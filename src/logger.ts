import pino, { type DestinationStream, type Logger } from 'pino';

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
