import { S3Client } from "@aws-sdk/client-s3";
import { createFolderStore } from "./folder-store.ts";
import { DEFAULT_STORE_FOLDER, parseStoreUrl, redactStoreUrl } from "./parse-store-url.ts";
import { s3ClientConfig } from "./s3-client-config.ts";
import { createS3Store } from "./s3-store.ts";
import type { ArtifactStore } from "./store.ts";

/**
 * Opens the store a URL names: undefined or "" is the folder `.aether/store` under `cwd`; `file:///abs`
 * or a plain path is a folder; `s3://bucket/prefix` is S3, configured from the AWS_* variables in `env`
 * (see s3ClientConfig). Throws `StoreUrlError` for a URL it cannot use.
 * @example openStore(flags.store ?? env.AETHER_STORE, { cwd: process.cwd(), env: process.env })
 */
export function openStore(
  url: string | undefined,
  options: { cwd: string; env: Record<string, string | undefined> },
): ArtifactStore {
  const location = parseStoreUrl(url, options.cwd);
  if (location.kind === "folder") return createFolderStore(location.root);
  const client = new S3Client(s3ClientConfig({ env: options.env, pathStyle: location.pathStyle }));
  return createS3Store({ bucket: location.bucket, prefix: location.prefix, client });
}

/** A store URL as it may be displayed: never with credentials; the default folder when none is given. */
export function describeStore(url: string | undefined): string {
  return url === undefined || url === "" ? `${DEFAULT_STORE_FOLDER} (default)` : redactStoreUrl(url);
}
