/**
 * The mdast handlers for GFM literal autolinks (`www.x.com`, `https://…`, `a@b.co`) that micromark's
 * GFM syntax tokenizes, as mdast-util-gfm-autolink-literal 2.0.1 (MIT, lib/index.js) writes them, but
 * without its `transforms` post-pass. That pass turns more URL-like text into link nodes with the same
 * text, so the plain text Canon reads is the same without it; and its regular expressions use
 * lookbehind, a syntax error in the WebKit of iOS/iPadOS before 16.4, which would stop the whole
 * plugin from loading there. Held to remark-gfm by the differential tests (test/markdown).
 */
import type { Link } from 'mdast';
import type { CompileContext, Extension, Token } from 'mdast-util-from-markdown';

function enterLiteralAutolink(this: CompileContext, token: Token): undefined {
  this.enter({ type: 'link', title: null, url: '', children: [] }, token);
}

function enterValue(this: CompileContext, token: Token): undefined {
  this.config.enter.autolinkProtocol?.call(this, token);
}

function exitHttp(this: CompileContext, token: Token): undefined {
  this.config.exit.autolinkProtocol?.call(this, token);
}

function exitWww(this: CompileContext, token: Token): undefined {
  this.config.exit.data?.call(this, token);
  const node = this.stack[this.stack.length - 1] as Link;
  node.url = `http://${this.sliceSerialize(token)}`;
}

function exitEmail(this: CompileContext, token: Token): undefined {
  this.config.exit.autolinkEmail?.call(this, token);
}

function exitLiteralAutolink(this: CompileContext, token: Token): undefined {
  this.exit(token);
}

/** GFM literal autolinks as mdast links, without the lookbehind post-pass. */
export function autolinkLiteralFromMarkdown(): Extension {
  return {
    enter: { literalAutolink: enterLiteralAutolink, literalAutolinkEmail: enterValue, literalAutolinkHttp: enterValue, literalAutolinkWww: enterValue },
    exit: { literalAutolink: exitLiteralAutolink, literalAutolinkEmail: exitEmail, literalAutolinkHttp: exitHttp, literalAutolinkWww: exitWww },
  };
}
