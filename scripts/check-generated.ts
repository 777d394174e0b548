import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { renderSchema } from '../src/graphql/schema-file';

/**
 * `npm run check:generated`: fails when schema/schema.graphql or the generated operation types
 * differ from what the code and schema/operations/ would produce now.
 */
async function main(): Promise<void> {
  const emitted = await renderSchema();
  if (readFileSync('schema/schema.graphql', 'utf8') !== emitted) {
    throw new Error('schema/schema.graphql is stale: run `npm run schema:emit` and commit it');
  }
  try {
    execFileSync('npx', ['graphql-codegen', '--config', 'codegen.yml', '--check'], { stdio: 'pipe' });
  } catch {
    throw new Error('Generated operation types are stale: run `npm run codegen` and commit them');
  }
  process.stdout.write('schema and generated types are up to date\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
