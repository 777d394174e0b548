import { readFileSync } from 'node:fs';

/** The parts of a V8 `.cpuprofile` (as `node --cpu-prof` writes it) that self time needs. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
  endTime: number;
  startTime: number;
}

export interface SelfTime {
  name: string;
  share: number;
}

/** A script's path from its package's or the checkout's root, e.g. `@mikro-orm/core/entity/EntityFactory.js`. */
function fileOf(url: string): string {
  const inPackage = url.lastIndexOf('node_modules/');
  if (inPackage >= 0) return url.slice(inPackage + 'node_modules/'.length);
  const inSource = /\/((?:src|test)\/.+)$/.exec(url);
  return inSource ? inSource[1] : url;
}

/** Where a script belongs: its package under node_modules, its file in the checkout, or Node's own. */
function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node: (core)';
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return inPackage ? inPackage[1] : fileOf(url);
}

/**
 * The functions and the modules with the most self time in a profile's last `lastSeconds`, as
 * shares of the busy (not idle) time.
 */
export function selfTimes(file: string, top: number, lastSeconds: number): { functions: SelfTime[]; modules: SelfTime[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  const from = profile.endTime - lastSeconds * 1_000_000;
  let total = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    at += micros;
    const frame = nodes.get(id)!;
    if (at < from || frame.functionName === '(idle)') return;
    total += micros;
    const where = moduleOf(frame.url, frame.functionName);
    const name = `${frame.functionName || '(anonymous)'}  ${frame.url ? `${fileOf(frame.url)}:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    byModule.set(where, (byModule.get(where) ?? 0) + micros);
  });
  const ranked = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, share: micros / total }));
  return { functions: ranked(byFunction), modules: ranked(byModule) };
}
