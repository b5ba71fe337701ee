/** Why a deploy through the Aether app did not succeed; `kind` decides the annotation's title. */
export type AppApiErrorKind = "refused" | "unreachable" | "rejected" | "failed" | "timeout" | "protocol";

export class AppApiError extends Error {
  readonly kind: AppApiErrorKind;
  /** The HTTP status, when the app answered. */
  readonly status: number | undefined;
  constructor(kind: AppApiErrorKind, message: string, status?: number) {
    super(message);
    this.name = "AppApiError";
    this.kind = kind;
    this.status = status;
  }
}
