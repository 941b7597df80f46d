// Packs the built app (dist/) into one self-contained HTML file that works opened straight from
// disk (file://), e.g. from a USB stick: `make single`, or by hand:
//   node scripts/single-file.mjs [dist] [dist-single/valuelens.html]
//
// What goes into the file:
// - the CSS files as <style> elements, the icon as a data: URL;
// - the app's wasm-bindgen glue (an ES module) as an inline module script, its exports turned
//   into plain declarations, followed by a call that hands the base64-decoded wasm *bytes* to
//   init({ module_or_path }) (asynchronous instantiation; with bytes, the glue fetches nothing);
// - the import worker and the analysis worker: for each, a classic inline script builds a Blob
//   from the worker's no-modules glue (dist/worker.js, dist/analyst.js) plus a call that
//   instantiates its base64-inlined wasm, and puts the Blob URL in window.__VALUELENS_WORKER_URL__
//   (window.__VALUELENS_ANALYST_URL__, window.__VALUELENS_READER_URL__,
//   window.__VALUELENS_RESTORER_URL__), which the app uses instead of ./worker_loader.js
//   (./analyst_loader.js, ./reader_loader.js, ./restorer_loader.js);
// - the five wasm binaries as base64 in non-executable <script type="application/octet-stream">
//   data blocks (never run, so not subject to the script policy);
// - a Content-Security-Policy that allows no origin at all: the executable inline scripts
//   and the styles by their SHA-256 hashes (no 'unsafe-inline' for scripts or style elements),
//   'wasm-unsafe-eval', worker-src blob:, img-src data: blob: (icon, PNG export),
//   connect-src 'none' (nothing is fetched).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

function fail(message) {
  throw new Error(`single-file: ${message}`);
}

/** Text that may sit inside a <script> or <style> element without ending it early. */
function assertEmbeddable(text, what, closing) {
  if (text.toLowerCase().includes(`</${closing}`)) fail(`${what} contains </${closing}`);
  if (closing === 'script' && text.includes('<!--')) fail(`${what} contains <!--`);
}

/** A JS string literal that is safe inside an inline <script>. */
function scriptString(text) {
  return JSON.stringify(text).replace(/<\//g, '<\\/').replace(/<!--/g, '<\\!--');
}

/** The wasm-bindgen `--target web` glue as a plain module body: the exports become locals. */
function unexport(glue) {
  const names = [];
  let init;
  let body = glue.replace(/^export\s+(class|function|async\s+function|const|let|var)\s+([A-Za-z_$][\w$]*)/gm,
    (_, kind, name) => {
      names.push([name, name]);
      return `${kind} ${name}`;
    });
  body = body.replace(/^export\s*\{([^}]*)\};?[ \t]*$/gm, (_, list) => {
    for (const item of list.split(',').map((s) => s.trim()).filter(Boolean)) {
      const [local, exported = local] = item.split(/\s+as\s+/).map((s) => s.trim());
      names.push([exported, local]);
      if (exported === 'default') init = local;
    }
    return '';
  });
  if (/^\s*(export|import)\b/m.test(body)) fail('the app glue has an import or export the packer does not handle');
  if (!init) fail('the app glue has no default export (the init function)');
  return { body, names, init };
}

/** Builds the single file from `distDir`; returns `{ html, size }`. */
export function buildSingleFile(distDir = 'dist') {
  const dist = resolve(distDir);
  const read = (name) => readFileSync(join(dist, name));
  const readText = (name) => readFileSync(join(dist, name), 'utf8');
  const index = readText('index.html');

  // The main app: Trunk's inline loader names its glue and wasm.
  const loader = index.match(/<script type="module">([\s\S]*?)<\/script>/);
  if (!loader) fail('no Trunk loader script in index.html');
  const mainJs = loader[1].match(/from\s+'\.\/([^']+\.js)'/)?.[1];
  const mainWasm = loader[1].match(/module_or_path:\s*'\.\/([^']+\.wasm)'/)?.[1];
  if (!mainJs || !mainWasm) fail('cannot find the app glue and wasm in the loader');

  // base64 → bytes (Uint8Array.fromBase64 where the browser has it).
  const decode = `(t) => (Uint8Array.fromBase64 ? Uint8Array.fromBase64(t) : Uint8Array.from(atob(t), (c) => c.charCodeAt(0)))`;

  // The workers (the import worker and the analysis worker): Trunk's loader shim names each one's
  // no-modules glue and wasm; each becomes a Blob made of its glue and a call that instantiates
  // its inlined wasm (no fetch), its URL in the global the app reads (src/ui/browser.rs).
  const workers = [
    { bin: 'worker', what: 'import worker', global: '__VALUELENS_WORKER_URL__' },
    { bin: 'analyst', what: 'analysis worker', global: '__VALUELENS_ANALYST_URL__' },
    { bin: 'reader', what: 'reader worker (Excel, Parquet)', global: '__VALUELENS_READER_URL__' },
    { bin: 'restorer', what: 'restore worker (saved workspaces)', global: '__VALUELENS_RESTORER_URL__' },
  ].map(({ bin, what, global }) => {
    const shim = readText(`${bin}_loader.js`);
    const js = shim.match(/importScripts\("\.\/([^"]+\.js)"\)/)?.[1];
    const wasm = shim.match(/wasm_bindgen\("\.\/([^"]+\.wasm)"\)/)?.[1];
    if (!js || !wasm) fail(`cannot read ${bin}_loader.js`);
    const glue = readText(js);
    if (!/^let wasm_bindgen\b/m.test(glue)) fail(`${js} is not wasm-bindgen no-modules glue`);
    const id = `vl-wasm-${bin}`;
    const script = `// The ${what} (single-file build): a Blob made of its wasm-bindgen glue and a call that
// instantiates its wasm from the bytes inlined in this page.
(() => {
  const data = document.getElementById('${id}');
  const source = [
    ${scriptString(glue)},
    '\\n;wasm_bindgen({ module_or_path: (' + ${scriptString(decode)} + ')(' + JSON.stringify(data.textContent.trim()) + ') });\\n',
  ];
  data.remove();
  window.${global} = URL.createObjectURL(new Blob(source, { type: 'text/javascript' }));
})();
`;
    assertEmbeddable(script, `the ${what} script`, 'script');
    return { id, wasm, script };
  });

  // The app: its glue as a module body, then init with the inlined bytes.
  const { body, names, init } = unexport(readText(mainJs));
  const bindings = names.map(([exported, local]) => `${JSON.stringify(exported)}: ${local}`).join(', ');
  const appScript = `${body}
// ---- single-file loader: the app's wasm from the bytes inlined in this page (no fetch) ----
{
  const __vlData = document.getElementById('vl-wasm-main');
  const __vlBytes = (${decode})(__vlData.textContent.trim());
  __vlData.remove();
  const __vlWasm = await ${init}({ module_or_path: __vlBytes });
  window.wasmBindings = { ${bindings} };
  dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm: __vlWasm } }));
}
`;
  assertEmbeddable(appScript, mainJs, 'script');

  // Styles, in the order of index.html.
  const styles = [...index.matchAll(/<link rel="stylesheet" href="\.\/([^"]+\.css)"[^>]*>/g)].map((m) => {
    const css = readText(m[1]);
    assertEmbeddable(css, m[1], 'style');
    if (/url\(\s*['"]?(?!data:)/.test(css)) fail(`${m[1]} refers to another file with url()`);
    return `\n${css}`;
  });
  if (styles.length === 0) fail('no stylesheet in index.html');

  const icon = index.match(/<link rel="icon" href="\.\/([^"]+)"[^>]*>/);
  const iconType = { svg: 'image/svg+xml', png: 'image/png', ico: 'image/x-icon' }[icon?.[1].split('.').pop()];

  const policy = [
    "default-src 'none'",
    `script-src 'wasm-unsafe-eval' ${workers.map((w) => sha256(w.script)).join(' ')} ${sha256(appScript)}`,
    `style-src ${styles.map(sha256).join(' ')}`,
    // plotters measures chart text with a styled span; a style attribute cannot load or run anything.
    "style-src-attr 'unsafe-inline'",
    'img-src data: blob:',
    "font-src 'none'",
    "connect-src 'none'",
    'worker-src blob:',
    "manifest-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');

  let html = index;
  // (Replacement functions, not strings: the inserted text may contain `$&` and the like.)
  html = html.replace(/<!-- No remote origin anywhere[\s\S]*?-->/, () => `<!-- ValueLens, single-file build (scripts/single-file.mjs): everything is in this file; it
         loads nothing, from nowhere. The policy below allows no origin at all. -->`);
  html = html.replace(/(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/, (_, a, b) => a + policy + b);
  if (!html.includes(policy)) fail('no Content-Security-Policy meta in index.html');
  html = html.replace(loader[0], () => '');
  html = html.replace(/\s*<link rel="(?:stylesheet|modulepreload|preload)"[^>]*>/g, '');
  html = html.replace(/\s*<link rel="icon"[^>]*>/, '');
  const head = [
    ...styles.map((css) => `<style>${css}</style>`),
    icon && iconType ? `<link rel="icon" href="data:${iconType};base64,${read(icon[1]).toString('base64')}" />` : '',
  ].filter(Boolean);
  html = html.replace(/\s*<\/head>/, () => `\n    ${head.join('\n    ')}\n  </head>`);
  const tail = [
    ...workers.map((w) => `<script type="application/octet-stream" id="${w.id}">${read(w.wasm).toString('base64')}</script>`),
    `<script type="application/octet-stream" id="vl-wasm-main">${read(mainWasm).toString('base64')}</script>`,
    ...workers.map((w) => `<script>${w.script}</script>`),
    `<script type="module">${appScript}</script>`,
  ];
  html = html.replace(/\s*<\/body>/, () => `\n    ${tail.join('\n    ')}\n  </body>`);
  if (/(?:href|src)="\.\//.test(html)) fail('a relative file reference is left in the page');
  return { html, size: Buffer.byteLength(html) };
}

/** Writes the single file; returns its path and size in bytes. */
export function writeSingleFile(distDir = 'dist', outFile = 'dist-single/valuelens.html') {
  const { html, size } = buildSingleFile(distDir);
  const path = resolve(outFile);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, html);
  return { path, size };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [distDir = 'dist', outFile = 'dist-single/valuelens.html'] = process.argv.slice(2);
  try {
    const { path, size } = writeSingleFile(distDir, outFile);
    console.log(`single-file: ${path} (${(size / 1024 / 1024).toFixed(2)} MiB, ${size} bytes)`);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
