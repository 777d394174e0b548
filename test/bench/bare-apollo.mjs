// The floor for trivial requests: a bare `@apollo/server` standalone answering `{ ping }` on PORT.
import process from 'node:process';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

const server = new ApolloServer({ typeDefs: 'type Query { ping: String! }', resolvers: { Query: { ping: () => 'pong' } } });
await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: Number(process.env.PORT) } });
process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
