import { labelValue } from "./kube-names.ts";

/** The label keys Aether puts on everything it creates: one list, used to select, prune and sweep. */
export const LABELS = {
  managedBy: "app.kubernetes.io/managed-by",
  name: "app.kubernetes.io/name",
  instance: "app.kubernetes.io/instance",
  environment: "aether.dev/environment",
  repository: "aether.dev/repository",
  pullRequest: "aether.dev/pull-request",
} as const;

export const ANNOTATIONS = {
  artifact: "aether.dev/artifact",
  release: "aether.dev/release",
  expiresAt: "aether.dev/expires-at",
  repository: "aether.dev/repository",
} as const;

export const MANAGER = "aether";

/** The labels that select one app's objects in one environment (used by Service selectors and pruning). */
export function appSelector(request: { app: string; env: string }): Record<string, string> {
  return {
    [LABELS.managedBy]: MANAGER,
    [LABELS.name]: labelValue(request.app),
    [LABELS.environment]: labelValue(request.env),
  };
}
