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
});
