/** Splits `name@range` (the name may start with `@scope/`) at the `@` that ends the name. */
export function splitSpec(spec: string): { name: string; range: string } {
  const at = spec.indexOf("@", 1);
  return at === -1 ? { name: spec, range: "" } : { name: spec.slice(0, at), range: spec.slice(at + 1) };
}

/** True for resolved URLs that point at a git repository rather than a registry tarball. */
export function isGitUrl(url: string): boolean {
  return (
    /^(git\+|git:|github:|gitlab:|bitbucket:)/.test(url) || /^https:\/\/codeload\.github\.com\//.test(url)
  );
}
