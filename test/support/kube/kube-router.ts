import type { IncomingMessage, ServerResponse } from "node:http";
import { KubeApi, type PatchType, type WriteOptions } from "./kube-api.ts";
import { withType, withoutType } from "./kube-object-shape.ts";
import { discoveryDocument } from "./kube-discovery.ts";
import { openApiDocument } from "./kube-openapi.ts";
import { readBody, sendJson } from "./kube-http.ts";
import { arrayAt, objectAt, stringAt, type JsonObject } from "./kube-json.ts";
import type { KubePodLogs } from "./kube-pod-logs.ts";
import { findResource, groupVersionOf, storageKey, type KubeResource } from "./kube-resources.ts";
import { fieldSelectorPredicate, labelSelectorPredicate } from "./kube-selectors.ts";
import { KubeStatusError, badRequest, statusError, statusObject } from "./kube-status.ts";
import { namespaceOf, type StoredEvent } from "./kube-store.ts";
import { toEventsV1 } from "./kube-events.ts";
import { forbiddenByRule, requestVerb, type ForbiddenRule } from "./kube-access.ts";
import { quotaAdmission } from "./kube-quota.ts";

/** Faults and switches the control API sets, read by the router on each request. */
export interface RouterState {
  token: string;
  tokenRevoked: boolean;
  failNext: number;
  watches: Set<ServerResponse>;
  requests: { method: string; path: string }[];
  /** Denials injected with control.forbid(), answered 403 as an RBAC authorizer does. */
  forbidden: ForbiddenRule[];
}

interface Target {
  resource: KubeResource;
  namespace: string;
  name: string | undefined;
  subresource: string | undefined;
}

function parseTarget(path: string): Target | undefined {
  const match = /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))\/(.+)$/.exec(path);
  if (match === null) return undefined;
  const groupVersion = match[1] ?? match[2] ?? "";
  const segments = (match[3] ?? "").split("/").map(decodeURIComponent);
  if (segments[0] === "namespaces" && segments.length >= 3) {
    const nested = findResource(groupVersion, segments[2] ?? "");
    if (nested !== undefined && nested.namespaced) {
      return { resource: nested, namespace: segments[1] ?? "", name: segments[3], subresource: segments[4] };
    }
  }
  const resource = findResource(groupVersion, segments[0] ?? "");
  if (resource === undefined) return undefined;
  return { resource, namespace: "", name: segments[1], subresource: segments[2] };
}

function patchType(contentType: string): PatchType {
  if (contentType.startsWith("application/apply-patch")) return "apply";
  if (contentType.startsWith("application/json-patch+json")) return "json";
  if (contentType.startsWith("application/merge-patch+json")) return "merge";
  if (contentType.startsWith("application/strategic-merge-patch+json")) return "strategic";
  throw statusError({
    code: 415,
    reason: "UnsupportedMediaType",
    message: `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
  });
}

/** The manager a write is recorded under: ?fieldManager, else the user agent's program name as the API server does. */
function managerOf(request: IncomingMessage, query: URLSearchParams): string {
  const explicit = query.get("fieldManager");
  if (explicit !== null && explicit !== "") return explicit;
  const agent = request.headers["user-agent"] ?? "unknown";
  return agent.split("/")[0] ?? agent;
}

/** Handles one HTTP request against the API. */
export async function routeRequest(input: {
  request: IncomingMessage;
  response: ServerResponse;
  api: KubeApi;
  logs: KubePodLogs;
  state: RouterState;
}): Promise<void> {
  const { request, response, api, state } = input;
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const method = request.method ?? "GET";
  state.requests.push({ method, path: url.pathname });
  try {
    // client-go (kubectl) never sends a bearer token over plain HTTP, so a missing header passes until
    // the token is revoked; a wrong one always answers 401 as an expired token does.
    const authorization = request.headers.authorization;
    const expected = `Bearer ${state.token}`;
    if ((authorization !== undefined || state.tokenRevoked) && authorization !== expected) {
      throw statusError({ code: 401, reason: "Unauthorized", message: "Unauthorized" });
    }
    if (state.failNext > 0) {
      state.failNext -= 1;
      throw statusError({
        code: 500,
        reason: "InternalError",
        message: "Internal error occurred: injected fault",
      });
    }
    const discovery = discoveryDocument(url.pathname) ?? openApiDocument(url.pathname);
    if (discovery !== undefined && method === "GET") return sendJson(response, 200, discovery);
    const target = parseTarget(url.pathname);
    if (target === undefined)
      throw statusError({
        code: 404,
        reason: "NotFound",
        message: "the server could not find the requested resource",
      });
    const query = url.searchParams;
    const options: WriteOptions = { manager: managerOf(request, query) };
    const validation = query.get("fieldValidation");
    if (validation !== null) options.fieldValidation = validation;
    if (query.get("dryRun") === "All") options.dryRun = true;
    if (target.subresource !== undefined) options.subresource = target.subresource;
    const { resource, namespace, name } = target;
    if (target.subresource !== undefined && !resource.subresources.includes(target.subresource)) {
      throw statusError({
        code: 404,
        reason: "NotFound",
        message: "the server could not find the requested resource",
      });
    }
    const watching = query.get("watch") === "1" || query.get("watch") === "true";
    const denial = forbiddenByRule({
      rules: state.forbidden,
      verb: requestVerb(method, name, watching),
      resource,
      subresource: target.subresource,
      namespace,
      name,
    });
    if (denial !== undefined) throw denial;
    // Requests (not the controller) go through quota admission.
    options.admitCreate = quotaAdmission(api.store, resource, namespace);
    if (target.subresource === "log" && name !== undefined) {
      const pod = api.get(resource, namespace, name);
      const containers = arrayAt(objectAt(pod, "spec"), "containers").map((c) => stringAt(c, "name") ?? "");
      const container = query.get("container") ?? (containers.length === 1 ? containers[0] : undefined);
      if (container === undefined) {
        throw badRequest(
          `a container name must be specified for pod ${name}, choose one of: [${containers.join(" ")}]`,
        );
      }
      if (!containers.includes(container))
        throw badRequest(`container ${container} is not valid for pod ${name}`);
      input.logs.serve({ response, namespace, pod: name, container, query });
      return;
    }
    if (method === "GET" && name === undefined) {
      const watch = query.get("watch");
      if (watch === "1" || watch === "true")
        return serveWatch({ response, api, state, resource, namespace: target.namespace, query });
      return sendJson(response, 200, listObjects(api, resource, namespace, query));
    }
    if (method === "GET" && name !== undefined)
      return sendJson(response, 200, api.get(resource, namespace, name));
    if (method === "POST" && name === undefined) {
      const body = objectAt({ b: await readBody(request) }, "b");
      return sendJson(response, 201, api.create(resource, namespace, body, options));
    }
    if (method === "PUT" && name !== undefined) {
      const body = objectAt({ b: await readBody(request) }, "b");
      return sendJson(response, 200, api.update(resource, namespace, name, body, options));
    }
    if (method === "PATCH" && name !== undefined) {
      const type = patchType(request.headers["content-type"] ?? "");
      const body = await readBody(request);
      const existed = api.store.get(storageKey(resource), namespace, name) !== undefined;
      if (type === "apply" && query.get("fieldManager") === null) {
        throw badRequest(
          'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        );
      }
      const result = api.patch({
        resource,
        namespace,
        name,
        type,
        body,
        force: query.get("force") === "true",
        options,
      });
      return sendJson(response, existed ? 200 : 201, result);
    }
    if (method === "DELETE" && name !== undefined)
      return sendJson(response, 200, api.delete(resource, namespace, name));
    if (method === "DELETE") {
      const items = arrayAt(listObjects(api, resource, namespace, query), "items");
      for (const item of items)
        api.delete(resource, namespaceOf(item), stringAt(objectAt(item, "metadata"), "name") ?? "");
      return sendJson(response, 200, { ...listObjects(api, resource, namespace, query), items });
    }
    throw statusError({
      code: 405,
      reason: "MethodNotAllowed",
      message: "the server does not allow this method on the requested resource",
    });
  } catch (error) {
    if (error instanceof KubeStatusError) return sendJson(response, error.code, error.status);
    const message = error instanceof Error ? error.message : String(error);
    return sendJson(
      response,
      500,
      statusObject({ code: 500, reason: "InternalError", message: `Internal error occurred: ${message}` }),
    );
  }
}

function present(resource: KubeResource, object: JsonObject): JsonObject {
  return resource.group === "events.k8s.io" ? toEventsV1(object) : withType(resource, object);
}

function listObjects(
  api: KubeApi,
  resource: KubeResource,
  namespace: string,
  query: URLSearchParams,
): JsonObject {
  const labels = labelSelectorPredicate(query.get("labelSelector"));
  const fields = fieldSelectorPredicate(query.get("fieldSelector"));
  const items = api.store
    .list(storageKey(resource), resource.namespaced && namespace !== "" ? namespace : undefined)
    .filter((o) => labels(o) && fields(o))
    .map((o) => withoutType(present(resource, o)));
  return {
    kind: `${resource.kind}List`,
    apiVersion: groupVersionOf(resource),
    metadata: { resourceVersion: String(api.store.revision) },
    items,
  };
}

function serveWatch(input: {
  response: ServerResponse;
  api: KubeApi;
  state: RouterState;
  resource: KubeResource;
  namespace: string;
  query: URLSearchParams;
}): void {
  const { response, api, resource, query } = input;
  const key = storageKey(resource);
  const labels = labelSelectorPredicate(query.get("labelSelector"));
  const fields = fieldSelectorPredicate(query.get("fieldSelector"));
  const wanted = (e: StoredEvent) =>
    e.key === key &&
    (input.namespace === "" || e.namespace === input.namespace) &&
    labels(e.object) &&
    fields(e.object);
  response.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" });
  response.flushHeaders();
  const send = (type: string, object: JsonObject) => response.write(`${JSON.stringify({ type, object })}\n`);
  const from = query.get("resourceVersion");
  if (from === null || from === "" || from === "0") {
    for (const object of api.store.list(key, input.namespace === "" ? undefined : input.namespace)) {
      if (labels(object) && fields(object)) send("ADDED", present(resource, object));
    }
  } else {
    const events = api.store.eventsSince(Number(from));
    if (events === "expired") {
      send(
        "ERROR",
        statusObject({
          code: 410,
          reason: "Expired",
          message: `too old resource version: ${from} (${api.store.revision})`,
        }),
      );
      response.end();
      return;
    }
    for (const event of events.filter(wanted)) send(event.type, present(resource, event.object));
  }
  const unsubscribe = api.store.subscribe((event) => {
    if (wanted(event)) send(event.type, present(resource, event.object));
  });
  input.state.watches.add(response);
  const timeout = Number(query.get("timeoutSeconds") ?? "0");
  const timer = timeout > 0 ? setTimeout(() => response.end(), timeout * 1000) : undefined;
  response.on("close", () => {
    unsubscribe();
    input.state.watches.delete(response);
    if (timer !== undefined) clearTimeout(timer);
  });
}
