// Derives schemas/k8s/*.schema.json from the upstream Dynamo CRDs, so the product validates its manifests against
// the real contract without needing the CRDs at run time. Run after updating the CRDs:
//   npx tsx src/manifest/crd-schemas/derive.ts <path-to-crds-dir>
// test/manifest/crd-schemas.test.ts re-runs deriveCrdSchemas on ../shared/reference/crds and fails when the
// committed files are stale.

import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {pathToFileURL} from 'node:url';
import {Ajv} from 'ajv';
import addFormats from 'ajv-formats';
import {parseAllDocuments} from 'yaml';
import {writeFileAtomic} from '../../util/files.js';
import {packagePath} from '../../util/paths.js';
import {type CustomResourceDefinition, crdJsonSchemas} from './translate.js';

/** The upstream the CRDs were taken from (see ../shared/reference/dynamo-profiler-dgdr.md). */
export const CRD_UPSTREAM = {repository: 'ai-dynamo/dynamo', commit: '2a6da14', directory: 'deploy/operator/config/crd/bases'} as const;

/** The CRD files whose kinds we emit: DynamoGraphDeploymentRequest and DynamoGraphDeployment, every served version. */
export const EMITTED_CRD_FILES = ['nvidia.com_dynamographdeploymentrequests.yaml', 'nvidia.com_dynamographdeployments.yaml'] as const;

/** Where the derived schemas live under schemas/ (the validator's key prefix). */
export const K8S_SCHEMA_DIR = 'k8s';

/** Each derived schema's file name under schemas/k8s/ and its exact bytes. */
export function deriveCrdSchemas(crdDir: string): {fileName: string; text: string}[] {
  const formats = new Ajv({strict: true});
  addFormats.default(formats);
  const knownFormat = (format: string) => format in formats.formats;
  return EMITTED_CRD_FILES.flatMap((file) => {
    const bytes = readFileSync(join(crdDir, file));
    const crds = parseAllDocuments(bytes.toString('utf8'))
      .map((document) => document.toJS() as CustomResourceDefinition | null)
      .filter((crd): crd is CustomResourceDefinition => crd !== null);
    const origin = {
      repository: CRD_UPSTREAM.repository,
      commit: CRD_UPSTREAM.commit,
      file: `${CRD_UPSTREAM.directory}/${file}`,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
    return crds.flatMap((crd) => crdJsonSchemas(crd, origin, knownFormat)).map((derived) => ({fileName: derived.fileName, text: JSON.stringify(derived.schema) + '\n'}));
  });
}

function main(argv: string[]): void {
  const [crdDir] = argv;
  if (!crdDir) {
    process.stderr.write('usage: npx tsx src/manifest/crd-schemas/derive.ts <path-to-crds-dir>\n');
    process.exitCode = 2;
    return;
  }
  for (const {fileName, text} of deriveCrdSchemas(resolve(crdDir))) {
    const path = packagePath('schemas', K8S_SCHEMA_DIR, fileName);
    writeFileAtomic(path, text);
    process.stderr.write(`wrote ${path} (${text.length} bytes)\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main(process.argv.slice(2));
