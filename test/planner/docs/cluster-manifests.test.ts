import {readFileSync} from 'node:fs';
import {parseAllDocuments} from 'yaml';
import {describe, expect, it} from 'vitest';
import {parsePlannerConfig} from '../../../src/planner/config.js';
import {repoRoot} from '../../helpers/cli.js';

// docs/planner-k8s.yaml is what users apply: it must parse, hold what docs/planner.md says, grant exactly what the
// Kubernetes connector and discovery call, and carry a planner config the planner accepts.
type Json = Record<string, any>;
const objects = parseAllDocuments(readFileSync(`${repoRoot}/docs/planner-k8s.yaml`, 'utf8')).map((document) => document.toJS() as Json);
const byKind = (kind: string) => objects.find((object) => object.kind === kind)!;

describe('docs/planner-k8s.yaml', () => {
  it('holds a ServiceAccount, Role, RoleBinding, ConfigMap, Deployment and Service, all namespaced by kubectl -n', () => {
    expect(objects.map((object) => object.kind)).toEqual(['ServiceAccount', 'Role', 'RoleBinding', 'ConfigMap', 'Deployment', 'Service']);
    for (const object of objects) expect(object.metadata.namespace).toBeUndefined();
  });

  it('the Role grants the API calls the connector and discovery make, and nothing cluster-wide', () => {
    const rules = byKind('Role').rules as {apiGroups: string[]; resources: string[]; verbs: string[]}[];
    const allows = (group: string, resource: string, verb: string) => rules.some((rule) => rule.apiGroups.includes(group) && rule.resources.includes(resource) && rule.verbs.includes(verb));
    const connector = readFileSync(`${repoRoot}/src/planner/connectors/kubernetes/connector.ts`, 'utf8');
    expect(connector).toContain('dynamographdeploymentscalingadapters/');
    expect(allows('nvidia.com', 'dynamographdeploymentscalingadapters/scale', 'patch')).toBe(true);
    expect(allows('nvidia.com', 'dynamographdeployments', 'get')).toBe(true);
    expect(allows('nvidia.com', 'dynamographdeployments', 'patch')).toBe(true);
    expect(allows('', 'pods', 'list')).toBe(true);
    expect(rules.flatMap((rule) => rule.verbs)).not.toContain('*');
    expect(byKind('RoleBinding').subjects[0].name).toBe(byKind('ServiceAccount').metadata.name);
  });

  it('the Deployment runs `planner run` with the kubernetes connector, the mounted config and profile, under the ServiceAccount', () => {
    const pod = byKind('Deployment').spec.template.spec;
    expect(pod.serviceAccountName).toBe('dynamo-plan-planner');
    const args = pod.containers[0].args as string[];
    expect(args.slice(0, 2)).toEqual(['planner', 'run']);
    expect(args).toEqual(expect.arrayContaining(['--connector=kubernetes', '--config=/etc/dynamo-plan/planner.yaml', '--host=0.0.0.0']));
    const mounts = (pod.containers[0].volumeMounts as Json[]).map((mount) => mount.mountPath);
    expect(mounts).toEqual(expect.arrayContaining(['/etc/dynamo-plan/planner.yaml', '/etc/dynamo-plan/profile']));
  });

  it('its planner.yaml is a valid planner config', () => {
    const config = parsePlannerConfig(parseAllDocuments(byKind('ConfigMap').data['planner.yaml'])[0]!.toJS(), 'planner.yaml');
    expect(config).toMatchObject({optimization_target: 'sla', max_gpu_budget: 16});
  });
});
