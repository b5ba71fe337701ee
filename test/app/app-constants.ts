/** The test GitHub App and repository every app test uses (apart from the harness, so payloads can share them). */
export const APP_ID = 4242;
export const INSTALLATION = 77;
export const REPO = "acme/shop";
export const SECRET = "webhook-secret-for-the-app-tests";
