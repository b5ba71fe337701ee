/**
 * A Kubernetes object in wire format (the JSON the API server reads), not @kubernetes/client-node's model
 * classes, whose TypeScript names differ from the wire for reserved words (`_from`, `_default`).
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}
