/**
 * remark-parse + remark-gfm and mdast-util-to-string: the full inline parser, for the few cells and
 * headings inline-text.ts cannot resolve itself. Its own module so that the CLI can load it only when
 * a note needs it (esbuild.config.mjs bundles it apart, as dist/remark.cjs).
 */
import type { Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

export { toString } from 'mdast-util-to-string';

/** The mdast tree remark-parse + remark-gfm give a markdown document. */
export function parseMarkdown(doc: string): Root {
  return unified().use(remarkParse).use(remarkGfm).parse(doc);
}
