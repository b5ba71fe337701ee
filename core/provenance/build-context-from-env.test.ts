import { describe, expect, it } from "vitest";
import { buildContextFromEnv } from "./build-context-from-env.ts";
import { BuildContextError } from "./provenance-errors.ts";
import { LOCAL_BUILDER_ID } from "./provenance-types.ts";

const LOCAL = { hostname: "devbox", user: "ada" };
const GHA = {
  GITHUB_ACTIONS: "true",
  GITHUB_REPOSITORY: "octo-org/shop",
  GITHUB_REF: "refs/heads/main",
  GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
  GITHUB_WORKFLOW_REF: "octo-org/shop/.github/workflows/deploy.yml@refs/heads/main",
  GITHUB_RUN_ID: "987654",
  GITHUB_RUN_ATTEMPT: "2",
  GITHUB_SERVER_URL: "https://github.com",
  RUNNER_ENVIRONMENT: "github-hosted",
};

describe("buildContextFromEnv", () => {
  it("describes a GitHub Actions build: builder, source, commit, workflow and run", () => {
    const context = buildContextFromEnv(GHA, LOCAL);
    expect(context.repository).toBe("https://github.com/octo-org/shop");
    expect(context.runDetails).toEqual({
      builder: { id: "https://github.com/actions/runner/github-hosted" },
      metadata: { invocationId: "https://github.com/octo-org/shop/actions/runs/987654/attempts/2" },
    });
    expect(context.buildDefinition.resolvedDependencies).toEqual([
      {
        uri: "git+https://github.com/octo-org/shop@refs/heads/main",
        digest: { gitCommit: "0123456789abcdef0123456789abcdef01234567" },
      },
    ]);
    expect(context.buildDefinition.externalParameters).toEqual({
      source: { repository: "https://github.com/octo-org/shop", ref: "refs/heads/main" },
      workflow: {
        repository: "https://github.com/octo-org/shop",
        ref: "refs/heads/main",
        path: ".github/workflows/deploy.yml",
      },
    });
    // The machine's name and user stay out of a CI statement.
    expect(JSON.stringify(context)).not.toContain("devbox");
  });

  it("calls a runner self-hosted unless it says it is GitHub-hosted, and honours the server URL", () => {
    const env = { ...GHA, RUNNER_ENVIRONMENT: undefined, GITHUB_SERVER_URL: "https://ghe.example.com/" };
    const context = buildContextFromEnv(env, LOCAL);
    expect(context.runDetails.builder.id).toBe("https://ghe.example.com/actions/runner/self-hosted");
    expect(context.repository).toBe("https://ghe.example.com/octo-org/shop");
  });

  it("describes a local build with no source, naming the machine and user it was given", () => {
    const context = buildContextFromEnv({ GITHUB_ACTIONS: "false", GITHUB_REPOSITORY: "x/y" }, LOCAL);
    expect(context.runDetails.builder.id).toBe(LOCAL_BUILDER_ID);
    expect(context.repository).toBeUndefined();
    expect(context.buildDefinition.resolvedDependencies).toEqual([]);
    expect(context.buildDefinition.internalParameters).toEqual({
      local: { hostname: "devbox", user: "ada" },
    });
  });

  it("names the variables that are missing in GitHub Actions", () => {
    const env = { ...GHA, GITHUB_SHA: undefined, GITHUB_RUN_ID: "" };
    expect(() => buildContextFromEnv(env, LOCAL)).toThrow(BuildContextError);
    expect(() => buildContextFromEnv(env, LOCAL)).toThrow(/GITHUB_SHA, GITHUB_RUN_ID are not set/);
  });
});
