import {
  describeObject,
  describeOperation,
  KubeApiError,
  type KubeFailureStatus,
  type KubeOperation,
  type KubeStatusCause,
} from "./kube-error-base.ts";

/** 401: the kubeconfig's token or certificate is expired or invalid. */
export class KubeUnauthorizedError extends KubeApiError {
  constructor(input: { server: string; operation: KubeOperation; status: KubeFailureStatus }) {
    super({
      ...input,
      message:
        `The Kubernetes API server at ${input.server} rejected the credentials (401 Unauthorized) when asked to ` +
        `${describeOperation(input.operation)}: the kubeconfig's token or client certificate is expired or invalid. ` +
        "Refresh them (a new service-account token, or your cloud's `get-credentials` command) and deploy again.",
    });
    this.name = "KubeUnauthorizedError";
  }
}

/** 403 from authorization: the deployer's identity may not use this verb on this resource here. */
export class KubeForbiddenError extends KubeApiError {
  readonly user: string | undefined;
  readonly verb: string;
  readonly resource: string;
  readonly namespace: string | undefined;
  constructor(input: { server: string; operation: KubeOperation; status: KubeFailureStatus }) {
    const parsed =
      /User "([^"]*)" cannot (\S+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)")?/.exec(
        input.status.message,
      );
    const user = parsed?.[1];
    const verb = parsed?.[2] ?? input.operation.verb;
    const group = parsed?.[4] ?? "";
    const resource = parsed?.[3] ?? input.operation.resource;
    const namespace = parsed === null ? input.operation.namespace : parsed[5];
    const where = namespace === undefined ? "at the cluster scope" : `in namespace "${namespace}"`;
    super({
      ...input,
      message:
        parsed === null
          ? admissionMessage(input)
          : `Not allowed to ${verb} ${resource} ${where}${user === undefined ? "" : ` as user "${user}"`} ` +
            `(403 Forbidden from ${input.server}): ${input.status.message}. ` +
            `Grant the deployer the verb "${verb}" on "${resource}" (API group "${group}") ${where} in its Role ` +
            'or ClusterRole (see docs/operator-guide.md, "Kubernetes target"), or deploy to a namespace it may write.',
    });
    this.name = "KubeForbiddenError";
    this.user = user;
    this.verb = verb;
    this.resource = resource;
    this.namespace = namespace;
  }
}

/** A 403 that is not an RBAC denial: admission refused the request (a namespace being deleted, a policy). */
function admissionMessage(input: {
  server: string;
  operation: KubeOperation;
  status: KubeFailureStatus;
}): string {
  const terminating = /unable to create new content in namespace (\S+) because it is being terminated/.exec(
    input.status.message,
  );
  const advice =
    terminating === null
      ? "An admission policy of the cluster refused it; change what it objects to, or ask the cluster's operators."
      : `Namespace "${terminating[1]}" is being deleted: wait until it is gone ` +
        `(\`kubectl get namespace ${terminating[1]}\` answers NotFound) and deploy again.`;
  return (
    `The Kubernetes API server at ${input.server} refused to ${describeOperation(input.operation)} ` +
    `(403 Forbidden): ${input.status.message}. ${advice}`
  );
}

/** One resource a ResourceQuota refused: `services` requested 1, used 2, limited 2. */
export interface QuotaShortfall {
  resource: string;
  requested: string;
  used: string;
  limited: string;
}

/** 403 from quota admission: creating the object would exceed a ResourceQuota. */
export class KubeQuotaExceededError extends KubeApiError {
  readonly quota: string;
  readonly shortfalls: QuotaShortfall[];
  constructor(input: { server: string; operation: KubeOperation; status: KubeFailureStatus }) {
    const parsed = /exceeded quota: ([^,]+), requested: (.*), used: (.*), limited: (.*)$/.exec(
      input.status.message,
    );
    const quota = parsed?.[1] ?? "(unknown)";
    const [requested, used, limited] = [2, 3, 4].map((i) => quantities(parsed?.[i] ?? ""));
    const shortfalls = [...(requested ?? new Map<string, string>())].map(([resource, value]) => ({
      resource,
      requested: value,
      used: used?.get(resource) ?? "?",
      limited: limited?.get(resource) ?? "?",
    }));
    const lines = shortfalls.map(
      (s) => `  - ${s.resource}: requested ${s.requested}, already used ${s.used} of ${s.limited}`,
    );
    const where = input.operation.namespace ?? "(cluster)";
    super({
      ...input,
      message:
        `The ResourceQuota "${quota}" in namespace "${where}" refused ${describeObject({ ...input.operation, namespace: undefined })} ` +
        `(403 Forbidden from ${input.server}):\n${lines.join("\n")}\n` +
        `Free room in the namespace (delete what is unused), raise the quota (kubectl -n ${where} edit ` +
        `resourcequota ${quota}), or ask for less (replicas, resources).`,
    });
    this.name = "KubeQuotaExceededError";
    this.quota = quota;
    this.shortfalls = shortfalls;
  }
}

/** 422: the object fails the API server's validation; `causes` name each field. */
export class KubeInvalidError extends KubeApiError {
  readonly causes: KubeStatusCause[];
  constructor(input: { server: string; operation: KubeOperation; status: KubeFailureStatus }) {
    const causes = input.status.causes;
    const lines =
      causes.length > 0
        ? causes.map((c) => `  - ${c.field || "(object)"}: ${c.message}`)
        : [`  - ${input.status.message}`];
    super({
      ...input,
      message:
        `The Kubernetes API server at ${input.server} rejected ${describeObject(input.operation)} as invalid (422):\n` +
        `${lines.join("\n")}\nFix the configuration these fields come from (the app's manifest or the ` +
        "environment's Kubernetes settings) and deploy again.",
    });
    this.name = "KubeInvalidError";
    this.causes = causes;
  }
}

/** One field another manager owns, from a server-side apply 409 Conflict. */
export interface FieldConflict {
  field: string;
  manager: string;
  apiVersion: string | undefined;
}

/** 409 from server-side apply: another field manager owns fields Aether sets to other values. */
export class KubeApplyConflictError extends KubeApiError {
  readonly conflicts: FieldConflict[];
  constructor(input: {
    server: string;
    operation: KubeOperation;
    status: KubeFailureStatus;
    fieldManager: string;
  }) {
    const conflicts = input.status.causes.map((cause) => {
      const owner = /conflict with "([^"]+)"(?: with subresource "[^"]*")?(?: using (\S+))?/.exec(
        cause.message,
      );
      return { field: cause.field, manager: owner?.[1] ?? "(unknown)", apiVersion: owner?.[2] };
    });
    const lines = conflicts.map(
      (c) =>
        `  - ${c.field} is owned by "${c.manager}"${c.apiVersion === undefined ? "" : ` (${c.apiVersion})`}`,
    );
    const managers = [...new Set(conflicts.map((c) => `"${c.manager}"`))].join(", ");
    super({
      ...input,
      message:
        `Server-side apply of ${describeObject(input.operation)} conflicts with field manager ${managers}:\n` +
        `${lines.join("\n")}\nAether does not take fields over silently. Either make ${managers} stop setting ` +
        "these fields (remove them from what it applies), or, if Aether should own them from now on, take them " +
        `over once with \`kubectl apply --server-side --force-conflicts --field-manager=${input.fieldManager}\` ` +
        "and deploy again.",
    });
    this.name = "KubeApplyConflictError";
    this.conflicts = conflicts;
  }
}

/** `requests.cpu=500m,services=1` as a map. */
function quantities(text: string): Map<string, string> {
  const entries = text
    .split(",")
    .map((part) => part.trim().split("="))
    .filter((pair): pair is [string, string] => pair.length === 2 && pair[0] !== "");
  return new Map(entries);
}
