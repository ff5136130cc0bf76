import {readFileSync} from 'node:fs';
import {packagePath} from '../util/paths.js';
import type {ToolInfo} from './artifact.js';

/** Who wrote an artifact, and when: this package's name and version from its package.json. */
export function toolInfo(now: Date = new Date()): ToolInfo {
  const {name, version} = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as {name: string; version: string};
  return {name, version, createdAt: now.toISOString()};
}
