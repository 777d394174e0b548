/**
 * V8 heap settings the API process runs with: the launcher (`npm start`) passes them, and so does
 * the bench; `npm run start:api` and the Dockerfile repeat them (V8 reads them from the command
 * line). Requests allocate much short-lived garbage, and by default V8 lets the young generation
 * grow to 2 × 32 MB; 2 × 4 MB keeps the API's RSS some 50–100 MB lower under the read-path bench
 * (README, Benchmarks). A lower old-generation growth factor (`--heap-growing-percent=25`) saved
 * more memory but nearly doubled the patient view's CPU, and a hard cap (`--max-old-space-size`)
 * would crash the process on a request that needs more memory, so neither is set.
 */
export const apiNodeFlags = ['--max-semi-space-size=4'];
