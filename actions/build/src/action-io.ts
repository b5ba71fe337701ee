/** The build action's inputs and outputs: one list each, checked against action.yml by a test. */
export const BUILD_INPUTS = ["path", "store"] as const;
export const BUILD_OUTPUTS = ["digest", "manifest"] as const;

export type BuildInput = (typeof BUILD_INPUTS)[number];
export type BuildOutput = (typeof BUILD_OUTPUTS)[number];
