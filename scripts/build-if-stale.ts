import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/**
 * What `npm start` (and the tests' global setup) build, and from which sources. A step is current
 * when its output exists and the hash of its sources is the one recorded when it was last built;
 * a content hash, not mtimes, so a fresh clone or a `git checkout` back and forth decides right.
 */
export interface BuildStep {
  name: string;
  /** Files and directories (relative to the repository) whose content the output depends on. */
  sources: readonly string[];
  /** A file the build writes; without it the step is not current whatever the stamp says. */
  output: string;
  /** The npm script that builds it. */
  script: string;
}

const lockfile = 'package-lock.json';

export const serverBuild: BuildStep = {
  name: 'server',
  sources: ['src', 'migrations', 'tsconfig.json', 'tsconfig.build.json', lockfile],
  output: 'dist/src/start.js',
  script: 'build:server',
};

export const portalBuild: BuildStep = {
  name: 'portal',
  sources: ['web', 'schema/operations', lockfile],
  output: 'dist/web/index.html',
  script: 'build:web',
};

function filesUnder(root: string, path: string): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { withFileTypes: true })
    .filter((entry) => entry.name !== 'node_modules')
    .flatMap((entry) => filesUnder(root, join(path, entry.name)));
}

/** SHA-256 over every source file's path and content, in a fixed order. */
export function sourceHash(root: string, sources: readonly string[]): string {
  const hash = createHash('sha256');
  const files = sources.flatMap((source) => filesUnder(root, source)).sort();
  for (const file of files) {
    hash.update(file.split(sep).join('/')).update('\0').update(readFileSync(join(root, file))).update('\0');
  }
  return hash.digest('hex');
}

function stampFile(root: string, step: BuildStep): string {
  return join(root, 'dist', '.build-stamps', `${step.name}.sha256`);
}

/** Whether `step`'s output is there and was built from the sources as they are now. */
export function isCurrent(root: string, step: BuildStep): boolean {
  const stamp = stampFile(root, step);
  if (!existsSync(join(root, step.output)) || !existsSync(stamp)) return false;
  return readFileSync(stamp, 'utf8').trim() === sourceHash(root, step.sources);
}

/** Builds each step that is not current (every step with `all`) by its npm script; returns the names of those it built. */
export function buildIfStale(root: string, steps: readonly BuildStep[], { all = false, log }: { all?: boolean; log?: (line: string) => void } = {}): string[] {
  const built: string[] = [];
  for (const step of steps) {
    if (!all && isCurrent(root, step)) continue;
    // Hashed before building, so a source edited during the build leaves the step stale.
    const hash = sourceHash(root, step.sources);
    log?.(`building the ${step.name} (npm run ${step.script})`);
    execFileSync('npm', ['run', '--silent', step.script], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    mkdirSync(dirname(stampFile(root, step)), { recursive: true });
    writeFileSync(stampFile(root, step), `${hash}\n`);
    built.push(step.name);
  }
  return built;
}

export const repositoryRoot = relative(process.cwd(), join(__dirname, '..')) || '.';

/** `npm start` runs this first; `npm run build` with `--all`. */
if (require.main === module) {
  const all = process.argv.includes('--all');
  const built = buildIfStale(repositoryRoot, [serverBuild, portalBuild], { all, log: (line) => process.stdout.write(`${line}\n`) });
  if (built.length === 0) process.stdout.write('build is current\n');
}
