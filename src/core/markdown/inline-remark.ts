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

/**
 * Block constructs the inline batch never needs (inline-text.ts `parseBatch`): its cells are rows of
 * one GFM table (each line starts with `|`, which starts none of them), its headings are heading
 * lines that were no list, quote, code or HTML in their note, and its definitions come last.
 * Disabled, they cannot start by accident, and the bundles leave their code out
 * (src/plugin/shims/micromark-constructs.mjs). The differential tests hold the batch to remark.
 */
export const BATCH_DISABLED = ['list', 'blockQuote', 'codeFenced', 'thematicBreak', 'htmlFlow'];

/** The mdast tree remark-parse + remark-gfm give a markdown document of the inline batch's shape. */
export function parseMarkdown(doc: string): Root {
  // mdast-util-gfm's gfmFromMarkdown() but for its autolink-literal post-pass (see autolink-literal-handlers.ts).
  return fromMarkdown(doc, {
    extensions: [gfm(), { disable: { null: BATCH_DISABLED } }],
    mdastExtensions: [autolinkLiteralFromMarkdown(), gfmFootnoteFromMarkdown(), gfmStrikethroughFromMarkdown(), gfmTableFromMarkdown(), gfmTaskListItemFromMarkdown()],
  });
}
