import type { S3ClientConfig } from "@aws-sdk/client-s3";
import { redactStoreUrl } from "./parse-store-url.ts";

export const DEFAULT_REGION = "us-east-1";

/**
 * The S3 client settings for a store, from the standard AWS variables in `env` (not process.env, so
 * callers and tests choose what the client sees):
 * - region: AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1;
 * - endpoint: AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL; a custom endpoint gets path-style addressing
 *   unless `pathStyle` is false (most S3-compatible servers do not resolve bucket subdomains);
 * - credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN when present, else the SDK's
 *   default chain with AWS_PROFILE from `env` (shared config files, SSO, web identity, instance roles).
 */
export function s3ClientConfig(request: {
  env: Record<string, string | undefined>;
  pathStyle: boolean | undefined;
}): S3ClientConfig {
  const { env } = request;
  const region = nonEmpty(env["AWS_REGION"]) ?? nonEmpty(env["AWS_DEFAULT_REGION"]) ?? DEFAULT_REGION;
  const config: S3ClientConfig = { region };
  const endpointVariable = nonEmpty(env["AWS_ENDPOINT_URL_S3"]) ? "AWS_ENDPOINT_URL_S3" : "AWS_ENDPOINT_URL";
  const endpoint = nonEmpty(env[endpointVariable]);
  if (endpoint !== undefined) {
    config.endpoint = checkEndpoint(endpointVariable, endpoint);
    config.forcePathStyle = request.pathStyle ?? true;
    // Since 3.729 the SDK adds CRC checksums to every upload by default, sending streamed bodies with
    // `aws-chunked` encoding and a trailing checksum. S3-compatible servers that do not speak it (s3rver,
    // older MinIO and Ceph) store the chunk framing as part of the object, or reject the request. Ask for
    // checksums only where the API requires them: our own sha256 check covers every blob end to end.
    config.requestChecksumCalculation = "WHEN_REQUIRED";
    config.responseChecksumValidation = "WHEN_REQUIRED";
  } else {
    if (request.pathStyle !== undefined) config.forcePathStyle = request.pathStyle;
    // A bucket in another region than the configured one answers with a redirect; follow it.
    config.followRegionRedirects = true;
  }
  const accessKeyId = nonEmpty(env["AWS_ACCESS_KEY_ID"]);
  const secretAccessKey = nonEmpty(env["AWS_SECRET_ACCESS_KEY"]);
  const sessionToken = nonEmpty(env["AWS_SESSION_TOKEN"]);
  if (accessKeyId !== undefined && secretAccessKey !== undefined) {
    config.credentials =
      sessionToken === undefined
        ? { accessKeyId, secretAccessKey }
        : { accessKeyId, secretAccessKey, sessionToken };
  } else if (accessKeyId !== undefined || secretAccessKey !== undefined) {
    throw new Error(
      `${accessKeyId === undefined ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID"} is set but ` +
        `${accessKeyId === undefined ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY"} is not; set both, or neither ` +
        `to use an AWS profile or role`,
    );
  }
  const profile = nonEmpty(env["AWS_PROFILE"]);
  if (config.credentials === undefined && profile !== undefined) config.profile = profile;
  return config;
}

function checkEndpoint(variable: string, value: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw new Error(
      `${variable} "${redactStoreUrl(value)}" is not an http(s) URL; set it to the S3 endpoint, ` +
        `e.g. https://s3.example.com or http://127.0.0.1:9000`,
    );
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
