export {
  startGitHubServer,
  type GitHubTestServer,
  type GitHubServerOptions,
  type RecordedRequest,
} from "./start-github-server.ts";
export { assertAllRequestsValid, assertResponsesLikeGitHub } from "./assert-all-requests-valid.ts";
export { generateAppKey } from "./app-auth.ts";
export { GitHubState, fakeSha, type RoleName } from "./github-state.ts";
export { loadOpenApiIndex } from "./openapi-spec.ts";
export { signedDelivery, type SignedDelivery } from "./signed-delivery.ts";
export { webhookExample } from "./webhook-example.ts";
export type { Fault } from "./faults.ts";
