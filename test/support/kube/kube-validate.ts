import { arrayAt, isObject, objectAt, stringAt, stringMap, type JsonObject } from "./kube-json.ts";
import { labelSelectorMatches } from "./kube-selectors.ts";
import type { StatusCause } from "./kube-status.ts";

const subdomainMessage =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelMessage =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const dns1035Message =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** Go's %#v of the values validation messages quote. */
export function goValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (isObject(value)) {
    const entries = Object.entries(stringMap(value)).sort(([a], [b]) => a.localeCompare(b));
    return `map[string]string{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(", ")}}`;
  }
  return "null";
}

const required = (field: string, detail?: string): StatusCause => ({
  reason: "FieldValueRequired",
  message: detail === undefined ? "Required value" : `Required value: ${detail}`,
  field,
});
const invalidValue = (field: string, value: unknown, detail: string): StatusCause => ({
  reason: "FieldValueInvalid",
  message: `Invalid value: ${goValue(value)}: ${detail}`,
  field,
});
const unsupported = (field: string, value: string, supported: string[]): StatusCause => ({
  reason: "FieldValueNotSupported",
  message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(", ")}`,
  field,
});

const isSubdomain = (s: string) =>
  s.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s);
const isLabel = (s: string) => s.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s);
const isDns1035 = (s: string) => s.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(s);

function validatePort(field: string, value: unknown, causes: StatusCause[], optional = false): void {
  if (value === undefined) {
    if (!optional) causes.push(required(field));
    return;
  }
  if (typeof value === "string") return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 65535) {
    causes.push(invalidValue(field, value, "must be between 1 and 65535, inclusive"));
  }
}

function validateProbe(field: string, probe: unknown, causes: StatusCause[]): void {
  if (probe === undefined) return;
  const handlers = ["exec", "httpGet", "tcpSocket", "grpc"].filter((h) => isObject(probe) && h in probe);
  if (handlers.length === 0) causes.push(required(field, "must specify a handler type"));
  if (handlers.length > 1)
    causes.push({
      reason: "FieldValueForbidden",
      message: "Forbidden: may not specify more than 1 handler type",
      field: `${field}.${handlers[1]}`,
    });
  const httpGet = objectAt(probe, "httpGet");
  if (isObject(probe) && "httpGet" in probe) validatePort(`${field}.httpGet.port`, httpGet.port, causes);
  if (isObject(probe) && "tcpSocket" in probe)
    validatePort(`${field}.tcpSocket.port`, objectAt(probe, "tcpSocket").port, causes);
}

/** Validates a pod spec as the API server does for the fields our kinds use. */
export function validatePodSpec(spec: unknown, field: string, causes: StatusCause[]): void {
  const containers = arrayAt(spec, "containers");
  if (containers.length === 0) causes.push(required(`${field}.containers`));
  const groups: [string, unknown[]][] = [
    ["initContainers", arrayAt(spec, "initContainers")],
    ["containers", containers],
  ];
  for (const [group, list] of groups) {
    list.forEach((container, i) => {
      const at = `${field}.${group}[${i}]`;
      const name = stringAt(container, "name");
      if (name === undefined || name === "") causes.push(required(`${at}.name`));
      else if (!isLabel(name)) causes.push(invalidValue(`${at}.name`, name, labelMessage));
      const image = stringAt(container, "image");
      if (image === undefined || image.trim() === "") causes.push(required(`${at}.image`));
      arrayAt(container, "ports").forEach((port, j) => {
        validatePort(`${at}.ports[${j}].containerPort`, objectAt({ p: port }, "p").containerPort, causes);
      });
      validateProbe(
        `${at}.readinessProbe`,
        isObject(container) ? container.readinessProbe : undefined,
        causes,
      );
      validateProbe(`${at}.livenessProbe`, isObject(container) ? container.livenessProbe : undefined, causes);
      validateProbe(`${at}.startupProbe`, isObject(container) ? container.startupProbe : undefined, causes);
    });
  }
}

function validateName(
  object: JsonObject,
  rule: "subdomain" | "label" | "dns1035",
  causes: StatusCause[],
): void {
  const metadata = objectAt(object, "metadata");
  const name = stringAt(metadata, "name");
  if (name === undefined || name === "") {
    causes.push(required("metadata.name", "name or generateName is required"));
    return;
  }
  const [ok, message] =
    rule === "subdomain"
      ? [isSubdomain(name), subdomainMessage]
      : rule === "label"
        ? [isLabel(name), labelMessage]
        : [isDns1035(name), dns1035Message];
  if (!ok) causes.push(invalidValue("metadata.name", name, message));
}

function validateDeployment(object: JsonObject, causes: StatusCause[]): void {
  const spec = objectAt(object, "spec");
  const selector = spec.selector;
  const template = objectAt(spec, "template");
  const labels = stringMap(objectAt(template, "metadata").labels);
  if (!isObject(selector)) causes.push(required("spec.selector"));
  else if (
    Object.keys(stringMap(selector.matchLabels)).length === 0 &&
    arrayAt(selector, "matchExpressions").length === 0
  ) {
    causes.push(invalidValue("spec.selector", selector, "empty selector is invalid for deployment"));
  }
  if (!isObject(selector) || !labelSelectorMatches(selector, labels)) {
    causes.push(
      invalidValue("spec.template.metadata.labels", labels, "`selector` does not match template `labels`"),
    );
  }
  const replicas = spec.replicas;
  if (typeof replicas === "number" && replicas < 0) {
    causes.push(invalidValue("spec.replicas", replicas, "must be greater than or equal to 0"));
  }
  validatePodSpec(template.spec, "spec.template.spec", causes);
}

function validateService(object: JsonObject, causes: StatusCause[]): void {
  const spec = objectAt(object, "spec");
  const ports = arrayAt(spec, "ports");
  if (ports.length === 0 && stringAt(spec, "type") !== "ExternalName" && spec.clusterIP !== "None")
    causes.push(required("spec.ports"));
  ports.forEach((port, i) => {
    if (ports.length > 1 && (stringAt(port, "name") ?? "") === "")
      causes.push(required(`spec.ports[${i}].name`));
    validatePort(`spec.ports[${i}].port`, isObject(port) ? port.port : undefined, causes);
    validatePort(`spec.ports[${i}].targetPort`, isObject(port) ? port.targetPort : undefined, causes, true);
  });
}

function validateIngress(object: JsonObject, causes: StatusCause[]): void {
  arrayAt(objectAt(object, "spec"), "rules").forEach((rule, i) => {
    const host = stringAt(rule, "host");
    const hostCheck = host?.startsWith("*.") === true ? host.slice(2) : host;
    if (hostCheck !== undefined && !isSubdomain(hostCheck))
      causes.push(invalidValue(`spec.rules[${i}].host`, host, subdomainMessage));
    arrayAt(objectAt(rule, "http"), "paths").forEach((path, j) => {
      const at = `spec.rules[${i}].http.paths[${j}]`;
      const pathType = stringAt(path, "pathType");
      const value = stringAt(path, "path") ?? "";
      if (pathType === undefined) causes.push(required(`${at}.pathType`, "pathType must be specified"));
      else if (!["Exact", "ImplementationSpecific", "Prefix"].includes(pathType)) {
        causes.push(unsupported(`${at}.pathType`, pathType, ["Exact", "ImplementationSpecific", "Prefix"]));
      }
      if (!value.startsWith("/") && pathType !== "ImplementationSpecific")
        causes.push(invalidValue(`${at}.path`, value, "must be an absolute path"));
      const service = objectAt(objectAt(path, "backend"), "service");
      if (
        isObject(objectAt(path, "backend")) &&
        stringAt(service, "name") === undefined &&
        objectAt(path, "backend").resource === undefined
      ) {
        causes.push(invalidValue(`${at}.backend`, "", "must specify a backend"));
      }
    });
  });
}

/** The validation causes of an object of `kind`; empty when valid. */
export function validateObject(kind: string, object: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const rule = kind === "Namespace" ? "label" : kind === "Service" ? "dns1035" : "subdomain";
  validateName(object, rule, causes);
  if (kind === "Deployment" || kind === "ReplicaSet") validateDeployment(object, causes);
  if (kind === "Pod") validatePodSpec(object.spec, "spec", causes);
  if (kind === "Service") validateService(object, causes);
  if (kind === "Ingress") validateIngress(object, causes);
  return causes;
}

/** Go's %#v of a LabelSelector, as the "field is immutable" message prints it. */
function goLabelSelector(selector: unknown): string {
  const expressions = arrayAt(selector, "matchExpressions");
  const rendered =
    expressions.length === 0 ? "[]v1.LabelSelectorRequirement(nil)" : `[]v1.LabelSelectorRequirement{...}`;
  return `v1.LabelSelector{MatchLabels:${goValue(objectAt(selector, "matchLabels"))}, MatchExpressions:${rendered}}`;
}

/** Causes for changing fields an update may not change (a Deployment's or ReplicaSet's selector). */
export function immutableFieldCauses(kind: string, before: JsonObject, after: JsonObject): StatusCause[] {
  if (kind !== "Deployment" && kind !== "ReplicaSet") return [];
  const was = objectAt(before, "spec").selector;
  const now = objectAt(after, "spec").selector;
  if (
    JSON.stringify(stringMap(objectAt(was, "matchLabels"))) ===
    JSON.stringify(stringMap(objectAt(now, "matchLabels")))
  ) {
    if (JSON.stringify(arrayAt(was, "matchExpressions")) === JSON.stringify(arrayAt(now, "matchExpressions")))
      return [];
  }
  return [
    {
      reason: "FieldValueInvalid",
      message: `Invalid value: ${goLabelSelector(now)}: field is immutable`,
      field: "spec.selector",
    },
  ];
}
