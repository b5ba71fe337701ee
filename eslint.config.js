// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      ".tools/",
      ".aether/",
      "coverage/",
      "dist/",
      "actions/*/dist/",
      "examples/**/node_modules/",
      "bench/results/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/ban-ts-comment": "error",
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  {
    // Entry points present output; only core/ is forbidden to talk to the console.
    files: ["cli/**", "bench/**", "scripts/**", "test/**", "examples/**", "app/**", "actions/**", "bin/**"],
    rules: { "no-console": "off" },
  },
);
