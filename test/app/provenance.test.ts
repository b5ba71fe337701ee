import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_APP_PROVENANCE } from "../../app/worker/artifact-provenance.ts";
import { buildContextFromEnv } from "../../core/provenance/build-context-from-env.ts";
import { createEd25519Signer } from "../../core/provenance/create-ed25519-signer.ts";
import { generateSigningKey } from "../../core/provenance/generate-signing-key.ts";
import { assertAllRequestsValid } from "../support/github/index.ts";
import { REPO, shaOf, startHarness, waitFor, type Harness } from "./app-harness.ts";
import { pullRequestPayload, pushPayload } from "./payloads.ts";

// The app checks an artifact's provenance where it deploys it: signed by a key it trusts, about this very
// digest, by an allowed builder, from the repository being deployed. `requireProvenance: true` refuses the rest.
let h: Harness;
const key = generateSigningKey();
const REQUIRED = "version: 1\nrequireProvenance: true\n";
const OPTIONAL = "version: 1\n";

beforeAll(async () => {
  h = await startHarness({ provenance: { ...DEFAULT_APP_PROVENANCE, trustedKeys: [key.publicKeyPem] } });
});
afterAll(async () => {
  await h?.stop();
});

/** A build signed as a GitHub-hosted Actions run of `repository` would sign it. */
function attestAs(repository: string, sha: string) {
  return {
    signer: createEd25519Signer(key.privateKeyPem, "test key"),
    context: buildContextFromEnv(
      {
        GITHUB_ACTIONS: "true",
        GITHUB_REPOSITORY: repository,
        GITHUB_REF: "refs/heads/main",
        GITHUB_SHA: sha,
        GITHUB_RUN_ID: "42",
        RUNNER_ENVIRONMENT: "github-hosted",
        GITHUB_WORKFLOW_REF: `${repository}/.github/workflows/build.yml@refs/heads/main`,
      },
      { hostname: "runner", user: "runner" },
    ),
    now: () => new Date(),
  };
}

const finishedRun = (sha: string) =>
  waitFor(`check run of ${sha.slice(0, 7)}`, () =>
    h.github.state.checkRuns.find((r) => r.headSha === sha && r.status === "completed"),
  );
const deployed = (sha: string) =>
  h.github.state.deploymentStatuses.some(
    (s) =>
      s.state === "success" && h.github.state.deployments.find((d) => d.id === s.deploymentId)?.sha === sha,
  );

describe("provenance checked by the app before rollout", () => {
  it("refuses an unsigned artifact when the repository requires provenance, naming the check", async () => {
    const sha = shaOf("unsigned");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": REQUIRED });
    await h.build(sha, "unsigned");
    await h.deliver("push", pushPayload(sha));
    const run = await finishedRun(sha);
    expect(run).toMatchObject({ conclusion: "failure", output: { title: "Provenance check failed" } });
    expect(run.output.summary).toContain("provenance check `missing` failed");
    expect(run.output.summary).toContain("requireProvenance: true");
    expect(deployed(sha)).toBe(false);
    assertAllRequestsValid(h.github);
  });

  it("refuses an artifact signed by a trusted key for another repository", async () => {
    const sha = shaOf("other-repo");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": REQUIRED });
    await h.build(sha, "other", { attest: attestAs("stranger/shop", sha) });
    await h.deliver("push", pushPayload(sha));
    const run = await finishedRun(sha);
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).toContain("provenance check `repository` failed");
    expect(run.output.summary).toContain("stranger/shop");
    expect(deployed(sha)).toBe(false);
  });

  it("deploys a signed artifact of this repository, and the preview comment says it is verified", async () => {
    const sha = shaOf("signed");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": REQUIRED });
    await h.build(sha, "signed", { attest: attestAs(REPO, sha) });
    h.github.state.addPullRequest({ repo: REPO, number: 51, headSha: sha });
    await h.deliver("pull_request", pullRequestPayload("opened", 51, sha));
    const comment = await waitFor("ready comment", () =>
      h.github.state.comments.find((c) => c.issueNumber === 51 && c.body.includes("Preview ready")),
    );
    expect(comment.body).toMatch(/\| Artifact \| `sha256:[0-9a-f…]+` · provenance ✔ verified/);
    expect(comment.body).toContain("**Latency**");
    expect(comment.body).toMatch(/\| build \| upload \| rollout \| healthy \| total \|/);
    assertAllRequestsValid(h.github);
  });

  it("deploys an unsigned artifact where nothing requires provenance, labelled unverified", async () => {
    const sha = shaOf("optional");
    h.github.state.setFiles(REPO, sha, { ".github/aether.yml": OPTIONAL });
    await h.build(sha, "optional");
    h.github.state.addPullRequest({ repo: REPO, number: 52, headSha: sha });
    await h.deliver("pull_request", pullRequestPayload("opened", 52, sha));
    const comment = await waitFor("ready comment", () =>
      h.github.state.comments.find((c) => c.issueNumber === 52 && c.body.includes("Preview ready")),
    );
    expect(comment.body).toContain("provenance ⚠ unverified");
  });
});
