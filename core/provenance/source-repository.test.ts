import { describe, expect, it } from "vitest";
import {
  normalizeRepository,
  normalizeWorkflow,
  repositoryOf,
  sameRepository,
  sameWorkflow,
  sourceCommitOf,
} from "./source-repository.ts";

describe("source repository", () => {
  it("reads the repository from the first git+ dependency, without the ref", () => {
    expect(
      repositoryOf([
        { uri: "https://example.com/tool.tgz" },
        { uri: "git+https://github.com/o/r@refs/heads/main" },
      ]),
    ).toBe("https://github.com/o/r");
    expect(repositoryOf([{ uri: "git+https://ghe.example.com/o/r" }])).toBe("https://ghe.example.com/o/r");
    expect(repositoryOf([])).toBeUndefined();
  });

  it("treats OWNER/REPO as github.com and compares case-insensitively", () => {
    expect(normalizeRepository("o/r")).toBe("https://github.com/o/r");
    expect(normalizeRepository("https://ghe.example.com/o/r.git/")).toBe("https://ghe.example.com/o/r");
    expect(sameRepository("O/R", "https://github.com/o/r")).toBe(true);
    expect(sameRepository("o/r", "https://ghe.example.com/o/r")).toBe(false);
  });

  it("reads the source commit from the first git+ dependency", () => {
    expect(
      sourceCommitOf([
        { uri: "https://example.com/tool.tgz", digest: { gitCommit: "nope" } },
        { uri: "git+https://github.com/o/r@refs/heads/main", digest: { gitCommit: "abc" } },
      ]),
    ).toBe("abc");
    expect(sourceCommitOf([{ uri: "git+https://github.com/o/r@refs/heads/main" }])).toBeUndefined();
  });

  it("matches workflows: owner and name ignore case, path and ref do not, no ref accepts any", () => {
    const uri = "https://github.com/Octo/Workflows/.github/workflows/build.yml@refs/tags/v1";
    expect(normalizeWorkflow("octo/workflows/.github/workflows/build.yml")).toBe(
      "https://github.com/octo/workflows/.github/workflows/build.yml",
    );
    expect(sameWorkflow("octo/workflows/.github/workflows/build.yml", uri)).toBe(true);
    expect(sameWorkflow("octo/workflows/.github/workflows/build.yml@refs/tags/v1", uri)).toBe(true);
    expect(sameWorkflow("octo/workflows/.github/workflows/build.yml@refs/tags/v2", uri)).toBe(false);
    expect(sameWorkflow("octo/workflows/.github/workflows/Build.yml", uri)).toBe(false);
    expect(sameWorkflow("octo/workflows-fork/.github/workflows/build.yml", uri)).toBe(false);
    expect(sameWorkflow("https://ghe.example.com/octo/workflows/.github/workflows/build.yml", uri)).toBe(
      false,
    );
  });
});
