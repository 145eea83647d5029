import en from 'zod/v4/locales/en.js';

/**
 * zod's English issue messages, passed to `safeParse` where a message is shown as zod words it
 * (`folder: Invalid input: expected string, received number`): `zod/mini` installs no locale.
 */
export const ZOD_ENGLISH = { error: en().localeError };
