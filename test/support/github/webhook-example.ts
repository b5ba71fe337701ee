import { createRequire } from "node:module";
import { isObject, type JsonObject } from "./openapi-spec.ts";

interface WebhookDefinition {
  name: string;
  examples: unknown[];
}

let definitions: WebhookDefinition[] | undefined;

/**
 * A real payload from `@octokit/webhooks-examples` for `event` (and `action`, when given), deep-copied,
 * with `overrides` merged in recursively (objects merge, other values replace).
 * @example webhookExample("issue_comment", "created", { comment: { body: "/deploy" } })
 */
export function webhookExample(event: string, action?: string, overrides: JsonObject = {}): JsonObject {
  definitions ??= createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];
  const definition = definitions.find((d) => d.name === event);
  if (definition === undefined) throw new Error(`@octokit/webhooks-examples has no "${event}" event`);
  const example = definition.examples.find(
    (e) => isObject(e) && (action === undefined || e.action === action),
  );
  if (!isObject(example)) {
    throw new Error(`@octokit/webhooks-examples has no "${event}" example with action "${action ?? ""}"`);
  }
  return deepMerge(structuredClone(example), overrides);
}

function deepMerge(target: JsonObject, overrides: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(overrides)) {
    const current = target[key];
    target[key] = isObject(current) && isObject(value) ? deepMerge(current, value) : value;
  }
  return target;
}
