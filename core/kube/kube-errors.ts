import { ApiException } from "@kubernetes/client-node";
import {
  KubeApiError,
  KubeError,
  KubeUnreachableError,
  type KubeFailureStatus,
  type KubeOperation,
} from "./kube-error-base.ts";
import {
  KubeApplyConflictError,
  KubeForbiddenError,
  KubeInvalidError,
  KubeQuotaExceededError,
  KubeUnauthorizedError,
} from "./kube-status-errors.ts";

// One import for callers: every named error and the translation into them.
export * from "./kube-error-base.ts";
export * from "./kube-status-errors.ts";

/** Reads the Status object of a failed response (parsed JSON, a JSON string, or anything else). */
export function failureStatus(code: number, body: unknown): KubeFailureStatus {
  let value = body;
  if (typeof body === "string") {
    try {
      value = JSON.parse(body) as unknown;
    } catch {
      return { code, reason: "", message: body.trim() || `HTTP ${code}`, causes: [] };
    }
  }
  const record = isRecord(value) ? value : {};
  const details = isRecord(record.details) ? record.details : {};
  const causes = Array.isArray(details.causes) ? details.causes.filter(isRecord) : [];
  const retryAfter = details.retryAfterSeconds;
  return {
    ...(typeof retryAfter === "number" && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
    code,
    reason: typeof record.reason === "string" ? record.reason : "",
    message: typeof record.message === "string" ? record.message : `HTTP ${code}`,
    causes: causes.map((c) => ({
      reason: typeof c.reason === "string" ? c.reason : "",
      message: typeof c.message === "string" ? c.message : "",
      field: typeof c.field === "string" ? c.field : "",
    })),
  };
}

/** The named error for a failure Status: 401, 403 (RBAC or quota), 409 apply conflict, 422, or generic. */
export function kubeStatusError(input: {
  server: string;
  operation: KubeOperation;
  status: KubeFailureStatus;
  fieldManager?: string;
}): KubeApiError {
  const { status } = input;
  const base = { server: input.server, operation: input.operation, status };
  if (status.code === 401) return new KubeUnauthorizedError(base);
  if (status.code === 403 && status.message.includes("exceeded quota:"))
    return new KubeQuotaExceededError(base);
  if (status.code === 403) return new KubeForbiddenError(base);
  if (status.code === 422) return new KubeInvalidError(base);
  if (status.code === 409 && status.causes.some((c) => c.reason === "FieldManagerConflict")) {
    return new KubeApplyConflictError({ ...base, fieldManager: input.fieldManager ?? "aether" });
  }
  return new KubeApiError(base);
}

const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_SOCKET",
]);

/**
 * Translates any failure of a request (client-node's ApiException, a fetch network error, a timeout) into
 * the named errors above; anything else (a caller's abort, a bug) is returned unchanged.
 */
export function kubeErrorFrom(
  error: unknown,
  context: { server: string; operation: KubeOperation; fieldManager?: string },
): unknown {
  if (error instanceof KubeError) return error;
  if (error instanceof ApiException) {
    return kubeStatusError({ ...context, status: failureStatus(error.code, error.body) });
  }
  // client-node's Watch fails a non-200 answer with a bare Error carrying `statusCode` and no body.
  if (error instanceof Error && "statusCode" in error && typeof error.statusCode === "number") {
    return kubeStatusError({
      ...context,
      status: { code: error.statusCode, reason: error.message, message: error.message, causes: [] },
    });
  }
  if (error instanceof Error && error.name === "TimeoutError") {
    return new KubeUnreachableError({ ...context, code: "timed out" });
  }
  const code = networkCode(error);
  if (code !== undefined) return new KubeUnreachableError({ ...context, code });
  return error;
}

function networkCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; isRecord(current) && depth < 5; depth += 1) {
    if (typeof current.code === "string" && UNREACHABLE.has(current.code)) return current.code;
    const errors = current.errors;
    if (Array.isArray(errors)) {
      const inner = errors.map(networkCode).find((c) => c !== undefined);
      if (inner !== undefined) return inner;
    }
    current = current.cause;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
