/**
 * The full inline parser, for the few cells and headings inline-text.ts cannot resolve itself: the tree
 * remark-parse + remark-gfm give, built from their parts (micromark's GFM syntax and its mdast reading),
 * without unified and remark-gfm's serialiser, which Canon never runs. Its own module so that the CLI can
 * load it only when a note needs it (esbuild.config.mjs bundles it apart, as dist/remark.cjs).
 */
import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { gfm } from 'micromark-extension-gfm';
import { autolinkLiteralFromMarkdown } from './autolink-literal-handlers';

export { toString } from 'mdast-util-to-string';

/** The mdast tree remark-parse + remark-gfm give a markdown document. */
export function parseMarkdown(doc: string): Root {
  // mdast-util-gfm's gfmFromMarkdown() but for its autolink-literal post-pass (see autolink-literal-handlers.ts).
  return fromMarkdown(doc, {
    extensions: [gfm()],
    mdastExtensions: [autolinkLiteralFromMarkdown(), gfmFootnoteFromMarkdown(), gfmStrikethroughFromMarkdown(), gfmTableFromMarkdown(), gfmTaskListItemFromMarkdown()],
  });
}
