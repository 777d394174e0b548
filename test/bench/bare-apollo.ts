import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

/** The floor for trivial requests: a bare `@apollo/server` standalone answering `{ ping }` on PORT. */
const server = new ApolloServer({ typeDefs: 'type Query { ping: String! }', resolvers: { Query: { ping: () => 'pong' } } });
startStandaloneServer(server, { listen: { host: '127.0.0.1', port: Number(process.env.PORT) } }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
