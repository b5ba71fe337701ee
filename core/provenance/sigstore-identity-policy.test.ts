import { describe, expect, it } from "vitest";
import {
  checkSigstoreIdentity,
  GITHUB_ACTIONS_OIDC_ISSUER,
  type SigstoreIdentityPolicy,
} from "./sigstore-identity-policy.ts";

const SAN = "https://github.com/Octo-Org/Shop/.github/workflows/release.yml@refs/tags/v1.2.0";
const policy: SigstoreIdentityPolicy = {
  oidcIssuers: [GITHUB_ACTIONS_OIDC_ISSUER],
  repository: "octo-org/shop",
};
const identity = { subjectAlternativeName: SAN, issuer: GITHUB_ACTIONS_OIDC_ISSUER };

describe("checkSigstoreIdentity", () => {
  it("accepts a workflow of the expected repository (names are case-insensitive), from GitHub's issuer", () => {
    expect(checkSigstoreIdentity(identity, policy)).toEqual({
      ok: true,
      repository: "https://github.com/Octo-Org/Shop",
      signer: SAN,
    });
    expect(
      checkSigstoreIdentity(identity, { ...policy, repository: "https://github.com/octo-org/shop.git" }),
    ).toMatchObject({ ok: true });
  });

  it("refuses another issuer, another repository, a repository named as a prefix, and a non-workflow SAN", () => {
    const refused = (i: typeof identity, p: typeof policy = policy) => {
      const result = checkSigstoreIdentity(i, p);
      if (result.ok) throw new Error("expected a refusal");
      return result.detail;
    };
    expect(refused({ ...identity, issuer: "https://accounts.google.com" })).toBe(
      "the certificate was issued for OIDC issuer https://accounts.google.com, expected " +
        "https://token.actions.githubusercontent.com",
    );
    expect(refused(identity, { ...policy, repository: "octo-org/other" })).toContain(
      "expected a workflow of https://github.com/octo-org/other",
    );
    expect(
      refused({
        ...identity,
        subjectAlternativeName:
          "https://github.com/octo-org/shop-fork/.github/workflows/x.yml@refs/heads/main",
      }),
    ).toContain("expected a workflow of https://github.com/octo-org/shop, found");
    expect(refused({ ...identity, subjectAlternativeName: "someone@example.com" })).toBe(
      "the certificate's identity someone@example.com is not a GitHub Actions workflow URI",
    );
    expect(refused(identity, { ...policy, repository: undefined })).toContain(
      "no expected repository is set",
    );
    expect(refused(identity, { ...policy, oidcIssuers: [] })).toContain("the list is empty");
  });

  it("takes the run's repository from the Source Repository URI, then the legacy extension, then the SAN", () => {
    const reusable = {
      ...identity,
      subjectAlternativeName:
        "https://github.com/octo-org/workflows/.github/workflows/build.yml@refs/tags/v1",
    };
    expect(
      checkSigstoreIdentity(
        { ...reusable, extensions: { sourceRepositoryUri: "https://github.com/octo-org/shop" } },
        policy,
      ),
    ).toMatchObject({
      ok: true,
      repository: "https://github.com/octo-org/shop",
      signer: reusable.subjectAlternativeName,
    });
    // Certificates from before …1.12: `OWNER/REPO` on the SAN's server (here a GitHub Enterprise host).
    const enterprise = {
      ...identity,
      subjectAlternativeName:
        "https://ghe.acme.com/platform/workflows/.github/workflows/build.yml@refs/heads/main",
      extensions: { githubWorkflowRepository: "octo-org/shop", githubWorkflowSha: "abc" },
    };
    expect(
      checkSigstoreIdentity(enterprise, { ...policy, repository: "https://ghe.acme.com/octo-org/shop" }),
    ).toEqual({
      ok: true,
      repository: "https://ghe.acme.com/octo-org/shop",
      signer: enterprise.subjectAlternativeName,
      sourceDigest: "abc",
    });
    const refused = checkSigstoreIdentity(enterprise, policy);
    expect(!refused.ok && refused.detail).toContain(
      "found the certificate's GitHub Workflow Repository (1.3.6.1.4.1.57264.1.5) https://ghe.acme.com/octo-org/shop",
    );
    expect(checkSigstoreIdentity(reusable, policy)).toMatchObject({ ok: false });
  });

  it("checks the signer workflow against the Build Signer URI, else the SAN", () => {
    const signerWorkflow = "octo-org/shop/.github/workflows/release.yml";
    expect(checkSigstoreIdentity(identity, { ...policy, signerWorkflow })).toMatchObject({ ok: true });
    const other = checkSigstoreIdentity(identity, {
      ...policy,
      signerWorkflow: "octo-org/shop/.github/workflows/deploy.yml",
    });
    expect(!other.ok && other.detail).toBe(
      "expected the signer workflow https://github.com/octo-org/shop/.github/workflows/deploy.yml " +
        `(AETHER_SIGSTORE_SIGNER_WORKFLOW), found the certificate's identity ${SAN}`,
    );
    const signedElsewhere = checkSigstoreIdentity(
      { ...identity, extensions: { buildSignerUri: "https://github.com/x/y/.github/workflows/z.yml@main" } },
      { ...policy, signerWorkflow },
    );
    expect(!signedElsewhere.ok && signedElsewhere.detail).toContain(
      "Build Signer URI (1.3.6.1.4.1.57264.1.9)",
    );
  });
});
