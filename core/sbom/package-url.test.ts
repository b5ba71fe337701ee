import { describe, expect, it } from "vitest";
import { golangPurl, normalizePypiName, npmPurl, purlWithoutQualifiers, pypiPurl } from "./package-url.ts";

describe("package URLs", () => {
  it("encodes npm scopes, lowercases names, sorts and encodes qualifiers", () => {
    expect(npmPurl("@Babel/core", "7.0.0+build")).toBe("pkg:npm/%40babel/core@7.0.0%2Bbuild");
    expect(npmPurl("JSONStream", "1.3.5")).toBe("pkg:npm/jsonstream@1.3.5");
    expect(npmPurl("x", "1", { vcs_url: "git+https://h/x.git#abc", download_url: "file:a b" })).toBe(
      "pkg:npm/x@1?download_url=file%3Aa%20b&vcs_url=git%2Bhttps%3A%2F%2Fh%2Fx.git%23abc",
    );
    expect(npmPurl("local", "")).toBe("pkg:npm/local");
  });

  it("normalises pypi names and keeps Go module paths as namespaces", () => {
    expect(normalizePypiName("Zope.Interface__x")).toBe("zope-interface-x");
    expect(pypiPurl("Flask_SQLAlchemy", "3.0.0")).toBe("pkg:pypi/flask-sqlalchemy@3.0.0");
    expect(golangPurl("github.com/Masterminds/semver/v3", "v3.3.0")).toBe(
      "pkg:golang/github.com/Masterminds/semver/v3@v3.3.0",
    );
  });

  it("strips qualifiers and subpaths for comparison", () => {
    expect(purlWithoutQualifiers("pkg:npm/x@1?vcs_url=a#sub")).toBe("pkg:npm/x@1");
    expect(purlWithoutQualifiers("pkg:npm/x@1")).toBe("pkg:npm/x@1");
  });
});
