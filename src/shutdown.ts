import type { Logger } from 'pino';

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits: 0 when it finished, 1 when it failed or took
 * longer than `timeoutMs`.
 */
export function onTermination(logger: Logger, timeoutMs: number, stop: () => Promise<void>): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
}

/**
 * An error nobody caught leaves the process in a state nobody planned for: log it (type, code and
 * frames only, never the message, which can quote PHI) and exit for the supervisor to restart it.
 * Work in flight is safe: a job whose worker died is run again, a request never acknowledged is resent.
 */
export function exitOnUncaughtErrors(logger: Logger): void {
  const exit = (kind: 'uncaughtException' | 'unhandledRejection') => (error: unknown) => {
    logger.fatal({ err: error, kind }, 'uncaught error; exiting for the supervisor to restart the process');
    logger.flush();
    process.exit(1);
  };
  process.on('uncaughtException', exit('uncaughtException'));
  process.on('unhandledRejection', exit('unhandledRejection'));
}
