import { describe, expect, it } from "vitest";
import { startAetherApiServer } from "../../../test/actions/support/aether-api-server.ts";
import { AppApiError } from "./app-api-error.ts";
import { deployViaApp } from "./deploy-via-app.ts";
import type { Deployment } from "./parse-deployment.ts";

const body = {
  repository: "octo/app",
  sha: "a".repeat(40),
  digest: `sha256:${"ab".repeat(32)}`,
  environment: "production",
};

describe("deployViaApp", () => {
  it("follows a deployment through its states to success", async () => {
    const app = await startAetherApiServer({
      accept: () => true,
      outcome: { state: "success", url: "https://a.dev" },
    });
    try {
      const seen: Deployment[] = [];
      const done = await deployViaApp({
        idempotencyKey: "k1",
        appUrl: `${app.url}/`,
        token: "t",
        body,
        timeoutMs: 10_000,
        onState: (d) => seen.push(d),
      });
      expect(done).toEqual({ id: "d-1", state: "success", url: "https://a.dev" });
      expect(seen.map((d) => d.state)).toEqual(["queued", "in_progress", "success"]);
      expect(app.log).toEqual([
        "POST /api/v1/deployments",
        "GET /api/v1/deployments/d-1",
        "GET /api/v1/deployments/d-1",
        "GET /api/v1/deployments/d-1",
      ]);
    } finally {
      await app.stop();
    }
  });

  it("gives up at the deadline with what to do, without waiting it out", async () => {
    const app = await startAetherApiServer({ accept: () => true, outcome: { state: "success", url: "x" } });
    let now = 0;
    try {
      const attempt = deployViaApp({
        idempotencyKey: "k2",
        appUrl: app.url,
        token: "t",
        body,
        timeoutMs: 1000,
        // Each reading of the clock is a second later: the deadline passes after the first answer.
        now: () => (now += 1000),
        onState: () => undefined,
      });
      await expect(attempt).rejects.toThrow(AppApiError);
      await expect(attempt).rejects.toThrow(
        /deployment d-1 was still queued after 1 s; follow it in the Aether app/,
      );
    } finally {
      await app.stop();
    }
  });

  it("asks again with the same idempotency key when an answer is lost, and deploys once", async () => {
    const app = await startAetherApiServer({
      accept: () => true,
      unavailable: 1,
      outcome: { state: "success", url: "https://a.dev" },
    });
    try {
      const done = await deployViaApp({
        idempotencyKey: "k3",
        appUrl: app.url,
        token: "t",
        body,
        timeoutMs: 10_000,
        retryDelayMs: 1,
        onState: () => undefined,
      });
      expect(done.state).toBe("success");
      expect(app.log.slice(0, 2)).toEqual(["POST /api/v1/deployments", "POST /api/v1/deployments"]);
      expect(app.deployments.map((d) => d.idempotencyKey)).toEqual(["k3"]);
    } finally {
      await app.stop();
    }
  });
});
