import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIfStale, isCurrent, type BuildStep } from '../scripts/build-if-stale';

const repositoryRoot = join(__dirname, '..');

describe('npm start builds only what changed', () => {
  let root: string;
  // A project whose "build" copies src/a.txt to out/a.txt and counts its runs.
  const step: BuildStep = { name: 'sample', sources: ['src', 'config.json'], output: 'out/a.txt', script: 'build:sample' };
  const runs = () => readFileSync(join(root, 'runs.txt'), 'utf8').length;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'carebridge-build-'));
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'a.txt'), 'one');
    writeFileSync(join(root, 'config.json'), '{}');
    writeFileSync(join(root, 'runs.txt'), '');
    const build = "const fs=require('fs');fs.mkdirSync('out',{recursive:true});fs.copyFileSync('src/a.txt','out/a.txt');fs.appendFileSync('runs.txt','x')";
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'sample', private: true, scripts: { 'build:sample': `node -e "${build}"` } }));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('builds when there is no output, then not again while the sources are unchanged, even when touched', () => {
    expect(isCurrent(root, step)).toBe(false);
    expect(buildIfStale(root, [step])).toEqual(['sample']);
    expect(isCurrent(root, step)).toBe(true);
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'src', 'a.txt'), later, later);
    expect(buildIfStale(root, [step])).toEqual([]);
    expect(runs()).toBe(1);
  });

  test('builds again when a source changes, a source is added, or the output is gone', () => {
    writeFileSync(join(root, 'src', 'a.txt'), 'two');
    expect(isCurrent(root, step)).toBe(false);
    expect(buildIfStale(root, [step])).toEqual(['sample']);
    expect(readFileSync(join(root, 'out', 'a.txt'), 'utf8')).toBe('two');

    writeFileSync(join(root, 'src', 'b.txt'), 'new');
    expect(isCurrent(root, step)).toBe(false);
    buildIfStale(root, [step]);

    rmSync(join(root, 'out'), { recursive: true });
    expect(isCurrent(root, step)).toBe(false);
    buildIfStale(root, [step]);
    expect(runs()).toBe(4);
  });

  test('`all` builds whatever the stamp says (npm run build)', () => {
    expect(isCurrent(root, step)).toBe(true);
    expect(buildIfStale(root, [step], { all: true })).toEqual(['sample']);
  });
});

test('the scripts that start processes load .env when present, and a setting in it reaches the configuration', () => {
  const { scripts } = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  for (const name of ['start', 'start:api', 'start:worker', 'dev']) {
    expect(scripts[name]).toMatch(/node --env-file-if-exists=\.env (-r @swc-node\/register )?(dist\/src|src)\//);
  }
  const flag = /--env-file-if-exists=\S+/.exec(scripts.start)![0];
  const dir = mkdtempSync(join(tmpdir(), 'carebridge-env-'));
  try {
    const printPort = `process.stdout.write(String(require(${JSON.stringify(join(repositoryRoot, 'src', 'config.ts'))}).loadConfig().PORT))`;
    const run = () =>
      execFileSync(process.execPath, [flag, '-r', require.resolve('@swc-node/register'), '-e', printPort], { cwd: dir, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
    expect(run()).toBe('4000');
    writeFileSync(join(dir, '.env'), 'PORT=4321\n');
    expect(run()).toBe('4321');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
