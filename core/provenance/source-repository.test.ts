import { describe, expect, it } from "vitest";
import { normalizeRepository, repositoryOf, sameRepository } from "./source-repository.ts";

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
});
