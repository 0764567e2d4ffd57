// One linter for the whole tree. Besides the usual rules it enforces the process boundaries of
// DESIGN.md §2: what each src/ folder may import.
import { builtinModules } from 'node:module'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'node:*']

const srcFolders = ['main', 'preload', 'renderer', 'core', 'server', 'shared']
/** Patterns that reach into the named src/ folders from anywhere inside src/. */
const otherFolders = (...names) =>
  names.map((name) => ({
    group: [`**/${name}`, `**/${name}/**`, `src/${name}/**`],
    message: `this folder may not import src/${name} (DESIGN.md §2 process boundaries)`,
  }))

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'out/**', 'dist/**', 'coverage/**', 'test-results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    languageOptions: { globals: { ...globals.es2023 } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'src/shared runs everywhere: no Node built-ins',
          })),
          patterns: [
            ...otherFolders(...srcFolders.filter((f) => f !== 'shared')),
            {
              group: ['electron', 'react', 'react-dom'],
              message: 'src/shared is plain TypeScript',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', 'require'].map(
          (name) => ({ name, message: 'src/shared uses neither DOM nor Node globals' }),
        ),
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'the renderer is sandboxed: no Node built-ins',
          })),
          patterns: [
            ...otherFolders('core', 'server', 'main', 'preload'),
            {
              group: ['electron', 'better-sqlite3'],
              message: 'the renderer talks to ConsoleApi only',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'src/core runs under plain Node' },
            ...otherFolders('renderer', 'main', 'preload', 'server'),
          ],
        },
      ],
    },
  },
  {
    // The web host runs under plain Node, where Electron is not installed.
    files: ['src/main/web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'the web host runs under plain Node' },
            ...otherFolders('renderer', 'preload', 'server'),
          ],
        },
      ],
    },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'the server runs under plain Node' },
            ...otherFolders('renderer', 'main', 'preload', 'core'),
          ],
        },
      ],
    },
  },
)
