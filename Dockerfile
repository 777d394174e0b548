# One image for both processes: `node dist/src/start-api.js` (API, which also serves the portal) and
# `node dist/src/worker.js`.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
COPY schema ./schema
COPY web ./web
# The server (dist/src) and the portal with GraphiQL (dist/web, served at /app and /graphiql).
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
# start-api.js replaces itself with the API run with src/api-flags.ts's V8 flags.
CMD ["node", "dist/src/start-api.js"]
