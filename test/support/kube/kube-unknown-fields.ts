import { isObject, type JsonObject } from "./kube-json.ts";
import type { KubeResource } from "./kube-resources.ts";
import { badRequest } from "./kube-status.ts";

type Shape = { [field: string]: Shape | "any" | [Shape] };

const meta: Shape = Object.fromEntries(
  [
    "name",
    "generateName",
    "namespace",
    "labels",
    "annotations",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "ownerReferences",
    "finalizers",
    "managedFields",
    "selfLink",
  ].map((k) => [k, "any"]),
);
const any = (...keys: string[]): Shape => Object.fromEntries(keys.map((k) => [k, "any"]));
const container: Shape = any(
  "name",
  "image",
  "command",
  "args",
  "workingDir",
  "ports",
  "envFrom",
  "env",
  "resources",
  "resizePolicy",
  "restartPolicy",
  "volumeMounts",
  "volumeDevices",
  "livenessProbe",
  "readinessProbe",
  "startupProbe",
  "lifecycle",
  "terminationMessagePath",
  "terminationMessagePolicy",
  "imagePullPolicy",
  "securityContext",
  "stdin",
  "stdinOnce",
  "tty",
);
const podSpec: Shape = {
  ...any(
    "volumes",
    "ephemeralContainers",
    "restartPolicy",
    "terminationGracePeriodSeconds",
    "activeDeadlineSeconds",
    "dnsPolicy",
    "nodeSelector",
    "serviceAccountName",
    "serviceAccount",
    "automountServiceAccountToken",
    "nodeName",
    "hostNetwork",
    "hostPID",
    "hostIPC",
    "shareProcessNamespace",
    "securityContext",
    "imagePullSecrets",
    "hostname",
    "subdomain",
    "affinity",
    "schedulerName",
    "tolerations",
    "hostAliases",
    "priorityClassName",
    "priority",
    "dnsConfig",
    "readinessGates",
    "runtimeClassName",
    "enableServiceLinks",
    "preemptionPolicy",
    "overhead",
    "topologySpreadConstraints",
    "setHostnameAsFQDN",
    "os",
    "hostUsers",
    "schedulingGates",
    "resourceClaims",
  ),
  containers: [container],
  initContainers: [container],
};
const template: Shape = { metadata: meta, spec: podSpec };
const shapes: Record<string, Shape> = {
  Deployment: {
    spec: {
      ...any(
        "replicas",
        "selector",
        "strategy",
        "minReadySeconds",
        "revisionHistoryLimit",
        "paused",
        "progressDeadlineSeconds",
      ),
      template,
    },
  },
  ReplicaSet: { spec: { ...any("replicas", "selector", "minReadySeconds"), template } },
  Pod: { spec: podSpec },
};

/**
 * Rejects fields the schema does not declare, as `fieldValidation=Strict` (kubectl's default) does; the
 * kinds our deploys render get a declared shape, other kinds are only checked at their top level.
 */
export function checkUnknownFields(resource: KubeResource, object: JsonObject, strict: boolean): void {
  if (!strict) return;
  const shape: Shape = {
    ...any(
      "apiVersion",
      "kind",
      "spec",
      "status",
      "data",
      "stringData",
      "binaryData",
      "type",
      "immutable",
      "rules",
      "roleRef",
      "subjects",
      "secrets",
      "automountServiceAccountToken",
      "imagePullSecrets",
      "involvedObject",
      "reason",
      "message",
      "source",
      "firstTimestamp",
      "lastTimestamp",
      "count",
      "eventTime",
      "reportingComponent",
      "reportingInstance",
      "action",
      "related",
      "series",
      "note",
      "regarding",
    ),
    metadata: meta,
    ...(shapes[resource.kind] ?? {}),
  };
  const unknown: string[] = [];
  const walk = (value: unknown, s: Shape, path: string): void => {
    if (!isObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const rule = s[key];
      const at = path === "" ? key : `${path}.${key}`;
      if (rule === undefined) unknown.push(at);
      else if (Array.isArray(rule) && Array.isArray(child))
        child.forEach((item, i) => walk(item, rule[0], `${at}[${i}]`));
      else if (rule !== "any" && !Array.isArray(rule)) walk(child, rule, at);
    }
  };
  walk(object, shape, "");
  if (unknown.length === 0) return;
  const list = unknown.map((f) => `unknown field "${f}"`).join(", ");
  throw badRequest(
    `${resource.kind} in version "${resource.version}" cannot be handled as a ${resource.kind}: strict decoding error: ${list}`,
  );
}
