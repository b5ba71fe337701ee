/** One deployment branch (or tag) policy of a GitHub environment: a name pattern and what it applies to. */
export interface DeploymentBranchPolicy {
  name: string;
  /** GitHub leaves it out for branch policies made before tag policies existed. */
  type?: "branch" | "tag";
}

/** What is being deployed: a branch or a tag of the repository, by its short name (`main`, `v1.2.0`). */
export interface DeployedRef {
  kind: "branch" | "tag";
  name: string;
}

export type BranchPolicyVerdict = { ok: true; pattern: string } | { ok: false };

/**
 * Whether `ref` matches one of an environment's deployment branch policies, as GitHub decides it: the
 * policy's type must be the ref's kind and its pattern must match the whole name (see `matchesRefPattern`).
 */
export function matchBranchPolicies(
  ref: DeployedRef,
  policies: readonly DeploymentBranchPolicy[],
): BranchPolicyVerdict {
  for (const policy of policies) {
    if ((policy.type ?? "branch") !== ref.kind) continue;
    if (matchesRefPattern(policy.name, ref.name)) return { ok: true, pattern: policy.name };
  }
  return { ok: false };
}

/**
 * GitHub's deployment branch patterns (Ruby's File.fnmatch with FNM_PATHNAME): `*` and `?` never match a
 * `/`, `**` matches anything including `/` (`**` before a `/` also matches no folder at all), `[abc]`, `[a-z]` and `[!abc]`/`[^abc]`
 * match one character (never `/`), and `\` takes the next character literally.
 */
export function matchesRefPattern(pattern: string, name: string): boolean {
  return compile(pattern).test(name);
}

function compile(pattern: string): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === "*") {
      if (pattern[i + 1] === "*") {
        i++;
        // `**/` may also stand for no folder at all: `release/**/x` matches `release/x`.
        if (pattern[i + 1] === "/") {
          i++;
          out += "(?:.*/)?";
        } else out += ".*";
      } else out += "[^/]*";
    } else if (char === "?") out += "[^/]";
    else if (char === "\\" && i + 1 < pattern.length) out += escapeRegExp(pattern[++i]!);
    else if (char === "[") {
      const end = classEnd(pattern, i);
      if (end === -1) out += "\\[";
      else {
        let body = pattern.slice(i + 1, end);
        const negated = body.startsWith("!") || body.startsWith("^");
        if (negated) body = body.slice(1);
        const chars = body.replace(/[\\\]^]/g, (c) => `\\${c}`);
        out += negated ? `(?![/])[^${chars}]` : `(?![/])[${chars}]`;
        i = end;
      }
    } else out += escapeRegExp(char);
  }
  return new RegExp(`^${out}$`, "u");
}

/** The index of the `]` closing the class opened at `start`, or -1 when the `[` is a plain character. */
function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === "!" || pattern[i] === "^") i++;
  // A `]` right after the opening (or its negation) is a member, not the end.
  if (pattern[i] === "]") i++;
  return pattern.indexOf("]", i);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
