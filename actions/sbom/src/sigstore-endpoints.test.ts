import { describe, expect, it } from "vitest";
import { PUBLIC_GOOD, sigstoreEndpoints } from "./sigstore-endpoints.ts";

const base = { fulcioUrl: "", rekorUrl: "", serverUrl: "https://github.com" };

describe("sigstoreEndpoints", () => {
  it("signs on Sigstore's public instance only for a public repository", () => {
    expect(sigstoreEndpoints({ ...base, visibility: "public" })).toEqual(PUBLIC_GOOD);
  });

  it("keeps private and internal repositories off the public log: GitHub's instance, with a timestamp", () => {
    for (const visibility of ["private", "internal", undefined]) {
      expect(sigstoreEndpoints({ ...base, visibility })).toEqual({
        fulcioURL: "https://fulcio.githubapp.com",
        tsaServerURL: "https://timestamp.githubapp.com",
      });
    }
    expect(sigstoreEndpoints({ ...base, serverUrl: "https://ghe.acme.com", visibility: "private" })).toEqual({
      fulcioURL: "https://fulcio.ghe.acme.com",
      tsaServerURL: "https://timestamp.ghe.acme.com",
    });
  });

  it("uses the URLs given as inputs", () => {
    expect(
      sigstoreEndpoints({
        ...base,
        fulcioUrl: "https://f.acme",
        rekorUrl: "https://r.acme",
        visibility: "private",
      }),
    ).toEqual({ fulcioURL: "https://f.acme", rekorURL: "https://r.acme" });
  });
});
