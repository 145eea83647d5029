// Baseline for the benchmark: the least a table checker must do. Reads every .md file of a vault and
// splits every table line (optional `>`/spaces, then `|`) into cells on unescaped pipes.
// Usage: node bench/plain-read.mjs DIR   → prints {"files", "tableLines", "cells"} as JSON.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every .md file under dir, skipping dot folders (.obsidian, .git). */
function markdownFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...markdownFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.md')) out.push(path);
  }
  return out;
}

/** The cells of one table line: split on pipes not escaped by a backslash, outer pipes dropped. */
export function splitCells(line) {
  const cells = [];
  let cell = line.indexOf('|') + 1;
  for (let i = cell; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 92 /* \ */) i++;
    else if (c === 124 /* | */) {
      cells.push(line.slice(cell, i).trim());
      cell = i + 1;
    }
  }
  const rest = line.slice(cell).trim();
  if (rest !== '') cells.push(rest);
  return cells;
}

const TABLE_LINE = /^[ \t>]*\|/;

/** Reads the vault and counts table lines and cells. */
export function plainRead(dir) {
  const files = markdownFiles(dir);
  let tableLines = 0;
  let cells = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const line of text.split(/\r?\n/)) {
      if (!TABLE_LINE.test(line)) continue;
      tableLines++;
      cells += splitCells(line).length;
    }
  }
  return { files: files.length, tableLines, cells };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node bench/plain-read.mjs DIR');
    process.exit(2);
  }
  console.log(JSON.stringify(plainRead(dir)));
}
