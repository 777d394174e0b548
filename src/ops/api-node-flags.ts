/**
 * V8 heap settings the API process runs with: the launcher (`npm start`) passes them, and so does
 * the bench. Requests allocate much short-lived garbage; by default V8 lets the young generation
 * grow to 2 × 32 MB and the old generation to several times what is live before collecting it,
 * which took the API to 390–440 MB under the read-path bench with ~100 MB live. A 2 × 4 MB young
 * generation and old-generation growth of 1.5× keep it near 225 MB, at some 10–20% more CPU per
 * patient view (README, Benchmarks; growth of 1.25× nearly doubled it). There is deliberately no
 * hard cap (`--max-old-space-size`): a request that needs more memory gets it rather than
 * crashing the process.
 */
export const apiNodeFlags = ['--max-semi-space-size=4', '--heap-growing-percent=50'];
