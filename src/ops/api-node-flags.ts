/**
 * V8 heap settings the API process runs with: the launcher (`npm start`) passes them, and so does
 * the bench. Requests allocate much short-lived garbage; by default V8 lets the young generation
 * grow to 2 × 32 MB and the old generation to several times what is live before it collects,
 * which took the API to ~600 MB under the read-path bench with ~100 MB live. A smaller young
 * generation and a lower old-generation growth factor keep it near what is live, at a few percent
 * more CPU (README, Benchmarks). There is deliberately no hard cap (`--max-old-space-size`): a
 * request that needs more memory gets it rather than crashing the process.
 */
export const apiNodeFlags = ['--max-semi-space-size=4', '--heap-growing-percent=25'];
