// Lint: Obsidian's recommended set (ESLint, typescript-eslint type-checked, Obsidian guideline rules)
// for everything; the CLI, tests and scripts may use Node; the core stays host-free.
import { defineConfig } from 'eslint/config';
import obsidianmd from 'eslint-plugin-obsidianmd';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

export default defineConfig([
  { ignores: ['node_modules/', 'dist/', 'main.js', 'bench/', 'example-vault/', 'coverage/', 'reports/', '.stryker-tmp/', 'bin/', '**/*.mjs', '**/*.json', '**/*.md'] },
  ...obsidianmd.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      // TypeScript checks undefined names itself (typescript-eslint's advice).
      'no-undef': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...['obsidian', ...nodeBuiltins].map((name) => ({ name, message: 'src/core is host-free.' })),
            // The plugin bundles the core: YAML is parsed by the parser the host injects (src/core/markdown/frontmatter.ts).
            { name: 'yaml', message: 'src/core takes its YAML parser from the host (VaultView.parseYaml).' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'document', message: 'src/core is host-free.' },
        { name: 'window', message: 'src/core is host-free.' },
        { name: 'process', message: 'src/core is host-free.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Inject the clock.' },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'vitest.config.ts'],
    rules: {
      'obsidianmd/no-nodejs-modules': 'off',
      'import/no-nodejs-modules': 'off',
      'no-console': 'off',
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': 'off',
      'obsidianmd/ui/sentence-case': 'off',
      'obsidianmd/prefer-active-doc': 'off',
      'obsidianmd/prefer-window-timers': 'off',
      'import/no-extraneous-dependencies': 'off',
      // The CLI walks the vault on disk, where Obsidian's own folder is skipped by name.
      'obsidianmd/hardcoded-config-path': 'off',
    },
  },
  {
    // The plugin and the CLI are shells over the core: they see only its public surface (CONTRIBUTING.md, "Architecture").
    files: ['src/plugin/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/core/*', '!**/core/index'], message: 'Import the core through src/core/index.ts (export what you need there).' },
          ],
        },
      ],
    },
  },
]);
