import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { renderSchema } from '../src/graphql/schema-file';

/** `npm run schema:emit`: writes the schema built from the code to the given file. */
void renderSchema().then((text) => {
  writeFileSync(process.argv[2] ?? 'schema/schema.graphql', text);
});
