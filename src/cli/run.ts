#!/usr/bin/env node
import {rmSync} from 'node:fs';
import {execute} from '@oclif/core';
import {packagePath} from '../util/paths.js';

const development = process.env.NODE_ENV === 'development';
// In development commands are loaded from TypeScript source; a stale manifest would hide new commands.
if (development) rmSync(packagePath('oclif.manifest.json'), {force: true});
await execute({development, dir: import.meta.url});
