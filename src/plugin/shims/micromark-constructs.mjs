/**
 * micromark's default constructs (micromark/lib/constructs.js) without the block constructs Canon's
 * inline batch disables (src/core/markdown/inline-remark.ts `BATCH_DISABLED`): lists, block quotes,
 * fenced code, thematic breaks and HTML blocks (indented code stays: it also takes the indentation of
 * a heading's continuation lines, found by the property test in test/markdown). The batch never lets them start (its
 * `disable` list), so leaving their code out of the bundle changes no parse; esbuild.config.mjs
 * aliases `micromark/lib/constructs.js` to this file for the plugin and the CLI's remark bundle.
 */
import {
  attention, autolink, characterEscape, characterReference, codeIndented, codeText, definition, hardBreakEscape, headingAtx,
  htmlText, labelEnd, labelStartImage, labelStartLink, lineEnding, setextUnderline,
} from 'micromark-core-commonmark';
// Resolved from micromark's own lib folder (esbuild.config.mjs loads this file there), as constructs.js
// imports it; JavaScript, not TypeScript, because the path means nothing from this folder.
import { resolver as resolveText } from './initialize/text.js';

export const document = {};
export const contentInitial = { [91]: definition };
export const flowInitial = { [-2]: codeIndented, [-1]: codeIndented, [32]: codeIndented };
export const flow = { [35]: headingAtx, [45]: [setextUnderline], [61]: setextUnderline };
export const string = { [38]: characterReference, [92]: characterEscape };
export const text = {
  [-5]: lineEnding,
  [-4]: lineEnding,
  [-3]: lineEnding,
  [33]: labelStartImage,
  [38]: characterReference,
  [42]: attention,
  [60]: [autolink, htmlText],
  [91]: labelStartLink,
  [92]: [hardBreakEscape, characterEscape],
  [93]: labelEnd,
  [95]: attention,
  [96]: codeText,
};
export const insideSpan = { null: [attention, resolveText] };
export const attentionMarkers = { null: [42, 95] };
export const disable = { null: [] };
