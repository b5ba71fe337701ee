import { appSelector, LABELS } from "./kube-labels.ts";
import { dnsLabel, labelValue } from "./kube-names.ts";
import type { KubeObject } from "./kube-object.ts";

/** The name of the Secret holding an app's environment variables (`web-env`). */
export function envSecretName(app: string): string {
  return `${dnsLabel(app, 59)}-env`;
}

/**
 * The Secret the app's container reads its environment from (DATABASE_URL …), labelled like the app's
 * other objects so teardown and pruning find it. Values go in `stringData`: the API server encodes them.
 */
export function renderEnvSecret(request: {
  app: string;
  env: string;
  namespace: string;
  values: Record<string, string>;
}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: envSecretName(request.app),
      namespace: request.namespace,
      labels: { ...appSelector(request), [LABELS.instance]: labelValue(`${request.app}-${request.env}`) },
    },
    type: "Opaque",
    stringData: { ...request.values },
  };
}
