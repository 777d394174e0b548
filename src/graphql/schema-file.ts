import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildGraphQLSchema } from './schema';

/** The checked-in schema text: sorted, so it changes only when the schema does. */
export async function renderSchema(): Promise<string> {
  const schema = await buildGraphQLSchema();
  return `# Emitted from the code by \`npm run schema:emit\`; do not edit.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
