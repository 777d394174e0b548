import { extname, join } from 'node:path';
import { apiNodeFlags } from './api-flags';

/**
 * `npm run start:api` and the container's command: the API (`main`) with the V8 flags of
 * src/api-flags.ts, which can only be given when a process starts. The process replaces itself
 * rather than forking, so that the API is what the supervisor signals and whose memory it counts.
 */
if (!process.execve) throw new Error('the API needs a Node.js with process.execve (22.15 or later, not on Windows)');
process.execve(process.execPath, [process.execPath, ...process.execArgv, ...apiNodeFlags, join(__dirname, `main${extname(__filename)}`)], process.env);
