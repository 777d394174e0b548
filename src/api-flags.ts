/**
 * The V8 flags the API process runs with, chosen by measurement under the read-path loads
 * (`npm run bench -- read-path`, README "Memory of the API process"). Left to itself V8 grows the
 * young generation to 64 MB semi-spaces and the old generation towards its 4 GB limit before
 * collecting in earnest, so a busy API held 430–490 MB; with these it holds 200–215 MB, at a cost
 * in garbage collection (a 4 MB semi-space cost the view 28–39% CPU; 32 MB costs less). `npm start`
 * forks the API with them; the Dockerfile's and docker-compose's commands repeat them.
 */
export const apiNodeFlags = ['--max-semi-space-size=32', '--max-old-space-size=128'];
