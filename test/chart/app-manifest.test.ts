import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { HANDLED_EVENTS } from "../../app/events/handle-delivery.ts";
import { documentedTable } from "./documented-table.ts";

const require = createRequire(import.meta.url);
const REPO = join(import.meta.dirname, "..", "..");
const manifest = parse(readFileSync(join(REPO, "app.yml"), "utf8")) as {
  name: string;
  url: string;
  hook_attributes: { url: string; active?: boolean };
  public?: boolean;
  default_permissions: Record<string, string>;
  default_events: string[];
};

/** The fields GitHub's manifest flow takes (docs: "GitHub App Manifest parameters"). */
const MANIFEST_FIELDS = [
  "name",
  "url",
  "hook_attributes",
  "redirect_url",
  "callback_urls",
  "setup_url",
  "description",
  "public",
  "default_events",
  "default_permissions",
  "request_oauth_on_install",
  "setup_on_update",
];

/** The permission an app needs to subscribe to each event (GitHub docs, "Webhook events and payloads"). */
const EVENT_PERMISSION: Record<string, string> = {
  check_run: "checks",
  check_suite: "checks",
  deployment: "deployments",
  deployment_status: "deployments",
  issue_comment: "issues",
  issues: "issues",
  pull_request: "pull_requests",
  pull_request_review: "pull_requests",
  push: "contents",
  status: "statuses",
  workflow_job: "actions",
  workflow_run: "actions",
};

const LEVELS = ["read", "write", "admin"];

describe("app.yml, the GitHub App manifest", () => {
  it("uses only the manifest's fields, with the values GitHub accepts", () => {
    for (const key of Object.keys(manifest)) expect(MANIFEST_FIELDS).toContain(key);
    expect(manifest.name.length).toBeGreaterThan(0);
    expect(manifest.name.length).toBeLessThanOrEqual(34);
    expect(new URL(manifest.url).protocol).toBe("https:");
    expect(new URL(manifest.hook_attributes.url).pathname).toBe("/api/github/webhooks");
  });

  it("asks only for permissions GitHub knows, at levels it offers (@octokit/openapi app-permissions)", () => {
    const spec = require("@octokit/openapi/generated/api.github.com.json") as {
      components: { schemas: Record<string, { properties: Record<string, { enum: string[] }> }> };
    };
    const known = spec.components.schemas["app-permissions"]!.properties;
    for (const [name, level] of Object.entries(manifest.default_permissions)) {
      expect(known[name], `unknown permission ${name}`).toBeDefined();
      expect(known[name]!.enum, `level of ${name}`).toContain(level);
    }
    expect(manifest.default_permissions["metadata"]).toBe("read");
  });

  it("subscribes to real app events, each with the permission it requires", () => {
    const examples = require("@octokit/webhooks-examples") as { name: string }[];
    const spec = require("@octokit/openapi/generated/api.github.com.json") as {
      "x-webhooks": Record<
        string,
        { post: { "x-github": { subcategory: string; "supported-webhook-types": string[] } } }
      >;
    };
    const appEvents = new Set(
      Object.values(spec["x-webhooks"])
        .filter((w) => w.post["x-github"]["supported-webhook-types"].includes("app"))
        .map((w) => w.post["x-github"].subcategory),
    );
    for (const event of manifest.default_events) {
      expect(examples.map((e) => e.name)).toContain(event);
      expect(appEvents.has(event), `${event} is delivered to apps`).toBe(true);
      const permission = EVENT_PERMISSION[event];
      expect(permission, `the permission ${event} needs is known to this test`).toBeDefined();
      expect(LEVELS).toContain(manifest.default_permissions[permission!]);
    }
    // Always delivered to an app; GitHub's form does not offer them.
    expect(manifest.default_events).not.toContain("installation");
    expect(new Set(manifest.default_events).size).toBe(manifest.default_events.length);
  });

  it("subscribes to exactly the events the app handles (app/events/handle-delivery.ts)", () => {
    expect([...manifest.default_events].sort()).toEqual([...HANDLED_EVENTS].sort());
  });

  it("matches the permission and event tables of docs/operator-guide.md", () => {
    const guide = readFileSync(join(REPO, "docs", "operator-guide.md"), "utf8");
    const permissions = documentedTable(guide, "Permissions");
    expect(Object.fromEntries(permissions.map((row) => [row[0]![0], row[1]![0]]))).toEqual(
      manifest.default_permissions,
    );
    const events = documentedTable(guide, "Events");
    expect(events.map((row) => row[0]![0]).sort()).toEqual([...manifest.default_events].sort());
  });
});
