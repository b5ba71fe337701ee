import { describe, expect, it } from "vitest";
import { authorizeDeploy, type DeployAuthorizationRequest } from "./authorize-deploy.ts";

const SHA = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
const NOW = Date.parse("2026-11-25T12:00:00Z");

function request(overrides: Partial<DeployAuthorizationRequest> = {}): DeployAuthorizationRequest {
  return {
    actor: "alice",
    permission: "write",
    teams: [],
    env: "production",
    deployers: [],
    restrictToDeployers: false,
    requiredChecks: ["test"],
    sha: SHA,
    checks: [
      { name: "test", status: "completed", conclusion: "success", completedAt: "2026-11-25T11:00:00Z" },
    ],
    fromFork: false,
    forksAllowed: false,
    now: NOW,
    ...overrides,
  };
}

describe("authorizeDeploy", () => {
  it("lets a writer deploy a commit whose required checks passed", () => {
    expect(authorizeDeploy(request())).toEqual({ ok: true });
    for (const permission of ["admin", "maintain"] as const)
      expect(authorizeDeploy(request({ permission })).ok).toBe(true);
  });

  it("refuses readers and triagers, whatever the payload claims, unless they are listed deployers", () => {
    expect(authorizeDeploy(request({ actor: "bob", permission: "read" }))).toEqual({
      ok: false,
      refusal: "permission",
      message: "@bob needs write access to deploy to **production** (has: read).",
    });
    expect(authorizeDeploy(request({ permission: "triage" })).ok).toBe(false);
    expect(authorizeDeploy(request({ actor: "Bob", permission: "read", deployers: ["bob"] })).ok).toBe(true);
    expect(
      authorizeDeploy(request({ permission: "none", teams: ["@acme/ops"], deployers: ["@acme/ops"] })).ok,
    ).toBe(true);
  });

  it("with restrictToDeployers, only deployers may deploy, even admins", () => {
    const result = authorizeDeploy(
      request({ permission: "admin", restrictToDeployers: true, deployers: ["carol"] }),
    );
    expect(result).toMatchObject({ ok: false, refusal: "permission" });
    expect(!result.ok && result.message).toContain("to be one of the deployers of **production** (carol)");
    expect(
      authorizeDeploy(request({ actor: "carol", restrictToDeployers: true, deployers: ["carol"] })).ok,
    ).toBe(true);
  });

  it("refuses while another user holds the lock, until it expires", () => {
    const lock = {
      env: "production",
      owner: "carol",
      reason: "release freeze",
      expiresAt: Date.parse("2026-11-25T18:00:00Z"),
    };
    expect(authorizeDeploy(request({ lock }))).toEqual({
      ok: false,
      refusal: "locked",
      message:
        "**production** is locked by @carol: 'release freeze' (until 18:00 UTC). `/unlock production` to release it.",
    });
    expect(authorizeDeploy(request({ lock, actor: "carol" })).ok).toBe(true);
    expect(authorizeDeploy(request({ lock, now: Date.parse("2026-11-25T18:00:01Z") })).ok).toBe(true);
    expect(authorizeDeploy(request({ lock: { env: "production", owner: "carol" } })).ok).toBe(false);
  });

  it("requires each required check to have completed with a passing conclusion on the pinned commit", () => {
    expect(authorizeDeploy(request({ checks: [] }))).toMatchObject({
      refusal: "checks",
      message: "Required check `test` has not run on `a1b2c3d`.",
    });
    expect(authorizeDeploy(request({ checks: [{ name: "test", status: "in_progress" }] }))).toMatchObject({
      message: "Required check `test` has not passed on `a1b2c3d` yet (in_progress).",
    });
    expect(
      authorizeDeploy(
        request({ checks: [{ name: "test", status: "completed", conclusion: "failure", completedAt: "x" }] }),
      ),
    ).toMatchObject({ message: "Required check `test` did not pass on `a1b2c3d` (failure)." });
    const rerun = [
      {
        name: "test",
        status: "completed" as const,
        conclusion: "failure",
        completedAt: "2026-11-25T10:00:00Z",
      },
      {
        name: "test",
        status: "completed" as const,
        conclusion: "success",
        completedAt: "2026-11-25T10:30:00Z",
      },
    ];
    expect(authorizeDeploy(request({ checks: rerun })).ok).toBe(true);
    expect(
      authorizeDeploy(request({ checks: [{ name: "test", status: "completed", conclusion: "skipped" }] })).ok,
    ).toBe(true);
  });

  it("never deploys a fork unless the repository opted in", () => {
    expect(authorizeDeploy(request({ fromFork: true }))).toMatchObject({ ok: false, refusal: "fork" });
    expect(authorizeDeploy(request({ fromFork: true, forksAllowed: true })).ok).toBe(true);
  });
});
