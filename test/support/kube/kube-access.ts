import type { KubeResource } from "./kube-resources.ts";
import { statusError, type KubeStatusError } from "./kube-status.ts";
import type { JsonObject } from "./kube-json.ts";

/** The user the test server's kubeconfig authenticates as, named in 403 messages. */
export const TEST_USER = "aether-test";

/** A denial injected per test: the verb (any when absent) on the resource (`deployments`, `pods/log`) in a namespace (any when absent). */
export interface ForbiddenRule {
  verb?: string;
  resource: string;
  namespace?: string;
}

/** The RBAC verb of a request, as the API server's request-info resolver names it. */
export function requestVerb(method: string, name: string | undefined, watch: boolean): string {
  if (method === "GET") return watch ? "watch" : name === undefined ? "list" : "get";
  if (method === "POST") return "create";
  if (method === "PUT") return "update";
  if (method === "PATCH") return "patch";
  if (method === "DELETE") return name === undefined ? "deletecollection" : "delete";
  return method.toLowerCase();
}

/**
 * The 403 an authorizer's denial answers, with the API server's message:
 * `deployments.apps "web" is forbidden: User "u" cannot patch resource "deployments" in API group "apps" in the namespace "prod"`.
 */
export function forbiddenByRule(input: {
  rules: readonly ForbiddenRule[];
  verb: string;
  resource: KubeResource;
  subresource: string | undefined;
  namespace: string;
  name: string | undefined;
}): KubeStatusError | undefined {
  const resourceName =
    input.subresource === undefined ? input.resource.plural : `${input.resource.plural}/${input.subresource}`;
  const scoped = input.resource.namespaced && input.namespace !== "";
  const denied = input.rules.some(
    (rule) =>
      (rule.verb === undefined || rule.verb === "*" || rule.verb === input.verb) &&
      rule.resource === resourceName &&
      (rule.namespace === undefined || (scoped && rule.namespace === input.namespace)),
  );
  if (!denied) return undefined;
  const group = input.resource.group;
  const qualified = group === "" ? input.resource.plural : `${input.resource.plural}.${group}`;
  const subject = input.name === undefined ? qualified : `${qualified} "${input.name}"`;
  const where = scoped ? `in the namespace "${input.namespace}"` : "at the cluster scope";
  const details: JsonObject = { kind: input.resource.plural };
  if (input.name !== undefined) details.name = input.name;
  if (group !== "") details.group = group;
  return statusError({
    code: 403,
    reason: "Forbidden",
    message:
      `${subject} is forbidden: User "${TEST_USER}" cannot ${input.verb} resource "${resourceName}" ` +
      `in API group "${group}" ${where}`,
    details,
  });
}
