/**
 * The V8 flags the API process runs with (`npm start`, `npm run start:api` and the container, the
 * last two through src/start-api.ts). The 32 MB semi-spaces keep the young generation from growing
 * to 64 MB (`npm run bench -- read-path`). The old space is sized by `npm run bench -- api-memory`:
 * at 128 MB the API died of "JavaScript heap out of memory" within seconds under 64 senders of
 * 1 MB FHIR Bundles and under 50 concurrent views of a 10,000-record patient (so did 256 and 512 MB
 * under the views); the views' peak live heap was ~805 MB, so the limit is twice that. A crash
 * drops every request in flight, which for a health-data hub is worse than a larger RSS.
 */
export const apiNodeFlags = ['--max-semi-space-size=32', '--max-old-space-size=1664'];
