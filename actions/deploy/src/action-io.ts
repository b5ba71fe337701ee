/** The deploy action's inputs and outputs: one list each, checked against action.yml by a test. */
export const DEPLOY_INPUTS = [
  "digest",
  "environment",
  "app",
  "app-url",
  "token",
  "kubeconfig",
  "namespace",
  "host",
  "store",
  "timeout",
] as const;
export const DEPLOY_OUTPUTS = ["url", "state", "deployment-id"] as const;

export type DeployInput = (typeof DEPLOY_INPUTS)[number];
export type DeployOutput = (typeof DEPLOY_OUTPUTS)[number];
