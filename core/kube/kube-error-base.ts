/** What Aether was doing when a request failed: `patch deployments.apps "web" in namespace "prod"`. */
export interface KubeOperation {
  verb: string;
  /** Plural resource, group-qualified outside the core group: `deployments.apps`, `services`. */
  resource: string;
  namespace?: string;
  name?: string;
}

export interface KubeStatusCause {
  reason: string;
  message: string;
  field: string;
}

/** The Status object an API server answers with a failure. */
export interface KubeFailureStatus {
  code: number;
  reason: string;
  message: string;
  causes: KubeStatusCause[];
  retryAfterSeconds?: number;
}

/** Any failure talking to a Kubernetes API server, with where it happened. */
export class KubeError extends Error {
  readonly server: string;
  readonly operation: KubeOperation;
  constructor(input: { server: string; operation: KubeOperation; message: string }) {
    super(input.message);
    this.name = "KubeError";
    this.server = input.server;
    this.operation = input.operation;
  }
}

/** The API server could not be reached (connection refused, DNS, timeout). */
export class KubeUnreachableError extends KubeError {
  readonly code: string;
  constructor(input: { server: string; operation: KubeOperation; code: string }) {
    super({
      ...input,
      message:
        `Cannot reach the Kubernetes API server at ${input.server} (${input.code}) to ${describeOperation(input.operation)}. ` +
        "Check that the cluster is running and reachable from here (VPN, firewall, proxy) and that the " +
        "kubeconfig's server URL is right (`kubectl cluster-info`). Nothing was changed by this request.",
    });
    this.name = "KubeUnreachableError";
    this.code = input.code;
  }
}

/** The API server answered with a failure Status. */
export class KubeApiError extends KubeError {
  readonly status: KubeFailureStatus;
  constructor(input: {
    server: string;
    operation: KubeOperation;
    status: KubeFailureStatus;
    message?: string;
  }) {
    super({
      ...input,
      message: input.message ?? genericMessage(input.server, input.operation, input.status),
    });
    this.name = "KubeApiError";
    this.status = input.status;
  }
  get code(): number {
    return this.status.code;
  }
  /** How long the server asked to wait before retrying (429, 503), when it said. */
  get retryAfterSeconds(): number | undefined {
    return this.status.retryAfterSeconds;
  }
}

/** `patch deployments.apps "web" in namespace "prod"`. */
export function describeOperation(operation: KubeOperation): string {
  return `${operation.verb} ${describeObject(operation)}`;
}

export function describeObject(
  operation: Omit<KubeOperation, "namespace"> & { namespace?: string | undefined },
): string {
  const name = operation.name === undefined ? "" : ` "${operation.name}"`;
  const where = operation.namespace === undefined ? "" : ` in namespace "${operation.namespace}"`;
  return `${operation.resource}${name}${where}`;
}

function genericMessage(server: string, operation: KubeOperation, status: KubeFailureStatus): string {
  const advice =
    status.code === 404
      ? "It does not exist (or its namespace does not)."
      : status.code >= 500
        ? "The API server failed; retry, and check the cluster's health if it persists."
        : "Check the request against the cluster's state and retry.";
  return (
    `The Kubernetes API server at ${server} answered ${status.code}${status.reason === "" ? "" : ` ${status.reason}`} when asked to ` +
    `${describeOperation(operation)}: ${status.message}. ${advice}`
  );
}
