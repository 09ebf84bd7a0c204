// ESLint, run by `npm test` (api/test/layering.test.ts) and `npm run lint`. Import layering is
// dependency-cruiser's job (.dependency-cruiser.cjs); this file holds the rules about each file.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'test-artifacts/', 'bench/results/', 'vendor/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
    rules: {
      // A source file over 400 lines holds more than one job: split it along its seams.
      'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
      // A leading underscore marks a value left out on purpose (a destructured field dropped, an Express arity).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests may be longer (a scenario reads best whole; the store contract suite is split per repository),
    // assert with chai's property style (`expect(x).to.be.true`) and probe hostile values on purpose.
    files: ['api/test/**/*.ts'],
    rules: {
      'max-lines': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      'no-control-regex': 'off',
      'no-loss-of-precision': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
