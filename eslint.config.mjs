// @ts-check
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', '*.js', '*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
    },
  },
  {
    // The domain is deterministic: time and randomness come in through commands.
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'The domain takes time from its commands, not the clock' },
        { selector: "NewExpression[callee.name='Date']", message: 'The domain takes time from its commands, not the clock' },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'The domain takes ids and randomness from its commands' },
        { selector: "MemberExpression[object.name='process']", message: 'The domain does not read the process environment' },
      ],
    },
  },
);
