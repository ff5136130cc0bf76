import {type ComponentPlan, planComponents} from './components.js';
import {profileConfigMapName} from './configmap.js';
import type {K8sObject, ManifestApiVersion, ManifestInput} from './types.js';
import {validateManifest} from './validate.js';

// The DynamoGraphDeployment of a sized deployment, in either served version: v1beta1 lists components with a pod
// template each; v1alpha1 (deprecated) keys services by name with an extraPodSpec.mainContainer.

export const DGD_KIND = 'DynamoGraphDeployment';

/** For --dgd-only: the DGD on its own, validated against its CRD. */
export function buildDgd(input: ManifestInput, apiVersion: ManifestApiVersion, options: {withProfileConfigMap?: boolean} = {}): K8sObject {
  const dgd = dgdObject(input, apiVersion, {withProfileConfigMap: options.withProfileConfigMap ?? false, embedded: false});
  validateManifest(dgd);
  return dgd;
}

/**
 * The DGD object; `embedded` leaves out the namespace, for a DGDR's overrides.dgd (the DGD is created in the
 * request's namespace).
 */
export function dgdObject(input: ManifestInput, apiVersion: ManifestApiVersion, options: {withProfileConfigMap: boolean; embedded: boolean}): K8sObject {
  const components = planComponents(input, options.withProfileConfigMap ? profileConfigMapName(input.name) : undefined);
  const spec = apiVersion === 'v1beta1' ? {backendFramework: input.backend, components: components.map(v1beta1Component)} : {backendFramework: input.backend, services: Object.fromEntries(components.map((component) => [component.name, v1alpha1Service(component)]))};
  return {
    apiVersion: `nvidia.com/${apiVersion}`,
    kind: DGD_KIND,
    metadata: {name: input.name, ...(options.embedded || input.namespace === undefined ? {} : {namespace: input.namespace})},
    spec,
  };
}

function v1beta1Component(component: ComponentPlan): Record<string, unknown> {
  const volume = component.configMapVolume;
  const container = {
    name: 'main',
    image: component.image,
    ...(component.workingDir === undefined ? {} : {workingDir: component.workingDir}),
    command: component.command,
    args: component.args,
    envFrom: [{secretRef: {name: component.envSecret}}],
    ...(component.gpusPerPod === undefined ? {} : {resources: {limits: {'nvidia.com/gpu': String(component.gpusPerPod)}}}),
    ...(volume === undefined ? {} : {volumeMounts: [{name: volume.volume, mountPath: volume.mountPath, readOnly: true}]}),
  };
  return {
    name: component.name,
    type: component.type,
    replicas: component.replicas,
    ...(component.nodeCount === undefined ? {} : {multinode: {nodeCount: component.nodeCount}}),
    // v1beta1: the presence of scalingAdapter (even empty) opts the component in.
    ...(component.scalingAdapter ? {scalingAdapter: {}} : {}),
    podTemplate: {
      spec: {
        containers: [container],
        ...(volume === undefined ? {} : {volumes: [{name: volume.volume, configMap: {name: volume.configMap}}]}),
      },
    },
  };
}

function v1alpha1Service(component: ComponentPlan): Record<string, unknown> {
  const volume = component.configMapVolume;
  const worker = component.type === 'prefill' || component.type === 'decode';
  return {
    componentType: worker ? 'worker' : component.type,
    ...(worker ? {subComponentType: component.type} : {}),
    replicas: component.replicas,
    envFromSecret: component.envSecret,
    ...(component.nodeCount === undefined ? {} : {multinode: {nodeCount: component.nodeCount}}),
    ...(component.scalingAdapter ? {scalingAdapter: {enabled: true}} : {}),
    ...(component.gpusPerPod === undefined ? {} : {resources: {limits: {gpu: String(component.gpusPerPod)}}}),
    extraPodSpec: {
      mainContainer: {
        image: component.image,
        ...(component.workingDir === undefined ? {} : {workingDir: component.workingDir}),
        command: component.command,
        args: component.args,
        ...(volume === undefined ? {} : {volumeMounts: [{name: volume.volume, mountPath: volume.mountPath, readOnly: true}]}),
      },
      ...(volume === undefined ? {} : {volumes: [{name: volume.volume, configMap: {name: volume.configMap}}]}),
    },
  };
}
