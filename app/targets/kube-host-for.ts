import { CONFIG_SCHEMA } from "../../core/config/config-schema.ts";
import type { TargetRef } from "./deploy-target.ts";
import { kubePreviewNumber } from "./kube-target.ts";

/** The previews' host pattern when nothing else is set: the repository config's default for `previews.host`. */
export const DEFAULT_PREVIEW_HOST = CONFIG_SCHEMA.fields.previews.fields.host.default;
/** The host of every other environment (production, staging …) when nothing else is set. */
export const DEFAULT_ENV_HOST = "{app}-{env}.{repo}.localhost";

/**
 * The Ingress host of each environment from two patterns: `previewHost` for `pr-<n>` (`{number}`, as
 * `previews.host` in .github/aether.yml) and `host` for the others. Both may use `{app}`, `{env}`, `{repo}`
 * (the repository's name) and `{owner}`; the result is lower-cased, each label cut to 63 characters.
 * @example kubeHostFor({ previewHost: "pr-{number}.preview.example.com" })({ repository: "acme/shop", app: "web", env: "pr-7" })
 */
export function kubeHostFor(patterns: { previewHost?: string; host?: string }): (ref: TargetRef) => string {
  return (ref) => {
    const pr = kubePreviewNumber(ref.env);
    const [owner = "", repo = ""] = ref.repository.split("/");
    const pattern =
      pr === undefined ? (patterns.host ?? DEFAULT_ENV_HOST) : (patterns.previewHost ?? DEFAULT_PREVIEW_HOST);
    const values: Record<string, string> = {
      number: String(pr ?? ""),
      app: ref.app,
      env: ref.env,
      repo,
      owner,
    };
    return pattern
      .replace(/\{(number|app|env|repo|owner)\}/g, (_, key: string) => values[key] ?? "")
      .toLowerCase()
      .split(".")
      .map((label) =>
        label
          .replace(/[^a-z0-9-]+/g, "-")
          .slice(0, 63)
          .replace(/^-+|-+$/g, ""),
      )
      .join(".");
  };
}
