import type { JsonObject } from "./kube-json.ts";

/** One cause of an Invalid (422) or Conflict (409) Status. */
export interface StatusCause {
  reason: string;
  message: string;
  field: string;
}

/** An error the handlers throw; the router answers it as the Status object it carries. */
export class KubeStatusError extends Error {
  readonly status: JsonObject;
  readonly code: number;
  constructor(code: number, status: JsonObject) {
    super(typeof status.message === "string" ? status.message : `HTTP ${code}`);
    this.name = "KubeStatusError";
    this.code = code;
    this.status = status;
  }
}

export function statusObject(input: {
  code: number;
  reason: string;
  message: string;
  details?: JsonObject;
}): JsonObject {
  const status: JsonObject = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: input.message,
    reason: input.reason,
  };
  if (input.details !== undefined) status.details = input.details;
  status.code = input.code;
  return status;
}

export function statusError(input: { code: number; reason: string; message: string; details?: JsonObject }) {
  return new KubeStatusError(input.code, statusObject(input));
}

export function notFound(qualifiedResource: string, name: string): KubeStatusError {
  const [resource = qualifiedResource, ...group] = qualifiedResource.split(".");
  const details: JsonObject = { name, kind: resource };
  if (group.length > 0) details.group = group.join(".");
  return statusError({
    code: 404,
    reason: "NotFound",
    message: `${qualifiedResource} "${name}" not found`,
    details,
  });
}

export function alreadyExists(qualifiedResource: string, name: string): KubeStatusError {
  const [resource = qualifiedResource, ...group] = qualifiedResource.split(".");
  const details: JsonObject = { name, kind: resource };
  if (group.length > 0) details.group = group.join(".");
  return statusError({
    code: 409,
    reason: "AlreadyExists",
    message: `${qualifiedResource} "${name}" already exists`,
    details,
  });
}

/** The optimistic-concurrency conflict of an update with a stale resourceVersion. */
export function staleConflict(qualifiedResource: string, name: string): KubeStatusError {
  const [resource = qualifiedResource, ...group] = qualifiedResource.split(".");
  const details: JsonObject = { name, kind: resource };
  if (group.length > 0) details.group = group.join(".");
  return statusError({
    code: 409,
    reason: "Conflict",
    message:
      `Operation cannot be fulfilled on ${qualifiedResource} "${name}": ` +
      "the object has been modified; please apply your changes to the latest version and try again",
    details,
  });
}

/** The 422 an API server answers for an object failing validation, message built as apimachinery builds it. */
export function invalid(input: {
  qualifiedKind: string;
  kind: string;
  group: string;
  name: string;
  causes: StatusCause[];
}): KubeStatusError {
  const lines = input.causes.map((c) => `${c.field}: ${c.message}`);
  const summary = lines.length === 1 ? lines[0] : `[${lines.join(", ")}]`;
  const details: JsonObject = { name: input.name, kind: input.kind, causes: input.causes };
  if (input.group !== "") details.group = input.group;
  return statusError({
    code: 422,
    reason: "Invalid",
    message: `${input.qualifiedKind} "${input.name}" is invalid: ${summary}`,
    details,
  });
}

export function badRequest(message: string): KubeStatusError {
  return statusError({ code: 400, reason: "BadRequest", message });
}
