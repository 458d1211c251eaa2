// Fix-all must settle in one run however many unrelated copies stand in a row (fuzz
// input seed 12 #12378): only the copy next to the install offered the move, so each
// pass moved the install one copy up.
import { ruleTester } from '../helpers/ruleTester';

const copies = Array.from({ length: 12 }, (_, i) => `COPY docs${i}/ ./docs${i}/`);

ruleTester('CL002', {
  valid: [],
  invalid: [
    {
      name: 'twelve unrelated copies: one move passes them all',
      code: ['FROM composer:2', 'COPY composer.json composer.lock ./', ...copies, 'RUN composer install'].join('\n'),
      errors: copies.map((_, i) => ({ line: i + 3 })),
      output: ['FROM composer:2', 'COPY composer.json composer.lock ./', 'RUN composer install', ...copies].join('\n'),
    },
    {
      name: 'the minimized fuzz input: bare COPYs before the install',
      code: ['FROM', ...Array.from({ length: 11 }, () => 'COPY'), 'RUN composer install'].join('\n'),
      errors: Array.from({ length: 11 }, (_, i) => ({ line: i + 2 })),
      output: ['FROM', 'RUN composer install', ...Array.from({ length: 11 }, () => 'COPY')].join('\n'),
    },
    {
      name: 'a chown -R of a passed copy: each copy takes the owner the moved chown gave it',
      code: [
        'FROM composer:2',
        'COPY composer.json composer.lock ./',
        'COPY docs/ /app/docs/',
        'COPY config/ /app/config/',
        'RUN chown -R www-data /app',
        'RUN composer install',
      ].join('\n'),
      errors: [{ line: 3 }, { line: 4 }],
      output: [
        'FROM composer:2',
        'COPY composer.json composer.lock ./',
        'RUN chown -R www-data /app',
        'RUN composer install',
        'COPY --chown=www-data docs/ /app/docs/',
        'COPY --chown=www-data config/ /app/config/',
      ].join('\n'),
    },
  ],
});
