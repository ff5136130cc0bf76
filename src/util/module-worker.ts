import {Worker} from 'node:worker_threads';

/**
 * Start a worker thread on the module `name` beside `from` (an import.meta.url), in .ts or .js as `from` is. Running
 * from TypeScript source (tsx, vitest), the thread must load the .ts file through tsx too, and Node 20 ignores --import
 * in a worker's execArgv, so a small bootstrap registers tsx in the thread first.
 */
export function startModuleWorker(from: string, name: string, workerData: unknown): Worker {
  const fromSource = from.endsWith('.ts');
  const url = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, from);
  if (!fromSource) return new Worker(url, {workerData});
  const bootstrap = `import('tsx/esm/api').then(({register}) => { register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(bootstrap, {eval: true, workerData});
}
