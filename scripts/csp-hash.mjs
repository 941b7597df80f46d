// Post-build step (Trunk hook, or by hand: node scripts/csp-hash.mjs DIR):
// puts the SHA-256 of every inline <script> of index.html into its Content-Security-Policy, so the
// policy allows Trunk's loader without 'unsafe-inline' (a static nonce would protect nothing).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] || process.env.TRUNK_STAGING_DIR || 'dist';
const file = join(dir, 'index.html');
let html = readFileSync(file, 'utf8');

const hashes = [];
for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
  const [, attributes, body] = match;
  if (/\bsrc\s*=/.test(attributes)) continue;
  hashes.push(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
}
if (hashes.length === 0) {
  console.error('csp-hash: no inline script found in', file);
  process.exit(1);
}
const placeholder = 'VL_INLINE_SCRIPT_HASHES';
if (html.includes(placeholder)) {
  html = html.replace(placeholder, hashes.join(' '));
} else if (/'sha256-[^']+'/.test(html)) {
  // Already filled (a rebuild of the same staging dir): replace the old hashes.
  html = html.replace(/(?:'sha256-[^']+'\s*)+/, hashes.join(' ') + ' ');
} else {
  console.error('csp-hash: no placeholder in', file);
  process.exit(1);
}
writeFileSync(file, html);
console.log(`csp-hash: ${hashes.length} inline script(s) hashed into ${file}`);
