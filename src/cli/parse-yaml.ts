/**
 * The CLI's YAML parser, which the core's frontmatter reader (src/core/markdown/frontmatter.ts) is
 * given for what its plain reader declines: the `yaml` package (YAML 1.2, core schema; duplicate keys
 * are an error), bundled into dist/cli.mjs. The tests read frontmatter with it too.
 */
import { parse } from 'yaml';
import type { YamlParse } from '../core';

/**
 * `yaml`'s parse. Its errors carry their offset, not a pretty message: making one for every error of
 * broken YAML (and a stack trace for each) takes quadratic time on a long value, a second on 64 KB.
 */
export const parseYaml: YamlParse = (source) => {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parse(source, { prettyErrors: false, logLevel: 'error' }) as unknown;
  } finally {
    Error.stackTraceLimit = limit;
  }
};
