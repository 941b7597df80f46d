// The contestants other than ValueLens, driven by bench/run.mjs through `window.bench`. Every
// run takes the File chosen in this page's <input type="file"> (set with setInputFiles: a real
// File, never fetched). Start-up (workers, DuckDB's WebAssembly) happens once and is not timed.
import * as duckdb from '/node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs';

const DUCKDB_DIST = '/node_modules/@duckdb/duckdb-wasm/dist/';
const CHUNK_BYTES = 4 * 1024 * 1024;

/** The per-customer aggregation, as DuckDB SQL over the registered file. */
export const DUCKDB_QUERY = `CREATE OR REPLACE TABLE customers AS
  SELECT customer_id, count(*) AS rows, count(DISTINCT order_id) AS orders,
         sum(amount) AS sales, sum(profit) AS profit,
         min(order_date) AS first, max(order_date) AS last
  FROM read_csv('orders.csv', header = true)
  GROUP BY customer_id`;

/** The CSV's aggregation for DuckDB 0.9 (DuckDB-WASM 1.28), whose `read_csv` guesses no columns. */
export const DUCKDB_128_QUERY = DUCKDB_QUERY.replace('read_csv(', 'read_csv_auto(');

/** The same aggregation over the same rows written as Parquet (`bench/run.mjs --parquet`). */
export const DUCKDB_PARQUET_QUERY = DUCKDB_QUERY.replace(
  "read_csv('orders.csv', header = true)",
  "read_parquet('orders.parquet')",
);

function chosenFile() {
  const file = document.querySelector('input[type="file"]').files[0];
  if (!file) throw new Error('no file chosen');
  return file;
}

/** Posts `message` to `worker` and resolves with its answer. */
function ask(worker, message) {
  return new Promise((resolve, reject) => {
    worker.onmessage = (event) =>
      event.data?.error ? reject(new Error(event.data.error)) : resolve(event.data);
    worker.onerror = (event) => reject(new Error(`worker error: ${event.message}`));
    worker.postMessage(message);
  });
}

async function startedWorker(url) {
  const worker = new Worker(url);
  const hello = await ask(worker, {});
  return { worker, hello };
}

// DuckDB-WASM 1.28.0 (DuckDB 0.9.1), the npm alias `duckdb-wasm-128`: the last release whose
// wasm links its Parquet reader in (1.29 and later fetch it from extensions.duckdb.org at first
// use, which the benchmark machine cannot reach). Its own apache-arrow 13 comes through the
// import map's scope for its folder. Loaded only when asked for (`duckdb128Start`).
const DUCKDB_128_DIST = '/node_modules/duckdb-wasm-128/dist/';

/** The aggregation of `query` on `file` registered as `name` in `db`; its figures. */
async function aggregate(module, db, connection, name, file, query) {
  const started = performance.now();
  await db.registerFileHandle(name, file, module.DuckDBDataProtocol.BROWSER_FILEREADER, true);
  await connection.query(query);
  const ms = performance.now() - started;
  const check = await connection.query(
    'SELECT count(*)::INTEGER AS customers, sum(rows)::BIGINT AS rows, sum(sales)::DOUBLE AS sales FROM customers',
  );
  const { customers, rows, sales } = check.toArray()[0].toJSON();
  await connection.query('DROP TABLE customers');
  await db.dropFile(name);
  return { ms, customers: Number(customers), rows: Number(rows), sales: Number(sales) };
}

function chosenParquet() {
  const file = document.querySelector('#parquet').files[0];
  if (!file) throw new Error('no Parquet file chosen');
  return file;
}

let duck128;

let reader;
let papa;
let floor;
let db;
let connection;

window.bench = {
  /** Starts the reading worker: not timed. */
  async readStart() {
    reader = (await startedWorker('./read-worker.js')).worker;
    return {};
  },

  /** Reads the bytes in a worker (FileReaderSync, 4 MiB slices). */
  async readWorker() {
    const file = chosenFile();
    const started = performance.now();
    const answer = await ask(reader, { file, chunk: CHUNK_BYTES });
    return { ms: performance.now() - started, ...answer };
  },

  /** Reads the bytes on the main thread with File.arrayBuffer(). */
  async readArrayBuffer() {
    const file = chosenFile();
    const started = performance.now();
    const buffer = await file.arrayBuffer();
    const ms = performance.now() - started;
    return { ms, bytes: buffer.byteLength };
  },

  /** Starts DuckDB-WASM (the `eh` bundle, one thread): not timed by the benchmark. */
  async duckdbStart() {
    const started = performance.now();
    const worker = new Worker(`${DUCKDB_DIST}duckdb-browser-eh.worker.js`);
    db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
    await db.instantiate(`${DUCKDB_DIST}duckdb-eh.wasm`);
    connection = await db.connect();
    return { ms: performance.now() - started, version: await db.getVersion() };
  },

  /** File → per-customer aggregates in a DuckDB table: register the File, run the query. */
  async duckdb() {
    const file = chosenFile();
    const started = performance.now();
    await db.registerFileHandle('orders.csv', file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
    await connection.query(DUCKDB_QUERY);
    const ms = performance.now() - started;
    const check = await connection.query(
      'SELECT count(*)::INTEGER AS customers, sum(rows)::BIGINT AS rows, sum(sales)::DOUBLE AS sales FROM customers',
    );
    const { customers, rows, sales } = check.toArray()[0].toJSON();
    await connection.query('DROP TABLE customers');
    await db.dropFile('orders.csv');
    return { ms, customers, rows: Number(rows), sales };
  },

  /** The same as `duckdb`, from the Parquet file chosen in `#parquet`. */
  async duckdbParquet() {
    const file = document.querySelector('#parquet').files[0];
    if (!file) throw new Error('no Parquet file chosen');
    const started = performance.now();
    await db.registerFileHandle('orders.parquet', file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
    await connection.query(DUCKDB_PARQUET_QUERY);
    const ms = performance.now() - started;
    const check = await connection.query(
      'SELECT count(*)::INTEGER AS customers, sum(rows)::BIGINT AS rows, sum(sales)::DOUBLE AS sales FROM customers',
    );
    const { customers, rows, sales } = check.toArray()[0].toJSON();
    await connection.query('DROP TABLE customers');
    await db.dropFile('orders.parquet');
    return { ms, customers, rows: Number(rows), sales };
  },

  /** Starts DuckDB-WASM 1.28 (its `eh` bundle, one thread): not timed by the benchmark. */
  async duckdb128Start() {
    const started = performance.now();
    const module = await import(`${DUCKDB_128_DIST}duckdb-browser.mjs`);
    const worker = new Worker(`${DUCKDB_128_DIST}duckdb-browser-eh.worker.js`);
    const db128 = new module.AsyncDuckDB(new module.VoidLogger(), worker);
    await db128.instantiate(`${DUCKDB_128_DIST}duckdb-eh.wasm`);
    duck128 = { module, db: db128, connection: await db128.connect() };
    return { ms: performance.now() - started, version: await db128.getVersion() };
  },

  /** DuckDB-WASM 1.28: the CSV's aggregation (`read_csv_auto`), as `duckdb` for 1.32. */
  async duckdb128() {
    return aggregate(duck128.module, duck128.db, duck128.connection, 'orders.csv', chosenFile(), DUCKDB_128_QUERY);
  },

  /** DuckDB-WASM 1.28: the same aggregation over the Parquet file (`read_parquet`). */
  async duckdb128Parquet() {
    return aggregate(duck128.module, duck128.db, duck128.connection, 'orders.parquet', chosenParquet(), DUCKDB_PARQUET_QUERY);
  },

  /** Starts the Papa Parse worker: not timed. */
  /** Starts the floor's worker and its wasm (bench/floor): not timed. */
  async floorStart() {
    floor = (await startedWorker('./floor-worker.js')).worker;
    return {};
  },

  /** The floor: the least work a wasm import of this file can do, in a worker. */
  async floor() {
    const file = chosenFile();
    const started = performance.now();
    const answer = await ask(floor, { file, chunk: CHUNK_BYTES });
    const ms = performance.now() - started;
    return { ms, rows: answer.rows, customers: answer.customers, sales: answer.sales, bad: answer.bad };
  },

  async papaStart() {
    const started = await startedWorker('./papa-worker.js');
    papa = started.worker;
    return { version: started.hello.version };
  },

  /** Papa Parse in a worker, chunked, with a Map aggregation. */
  async papa() {
    const file = chosenFile();
    const started = performance.now();
    const answer = await ask(papa, { file });
    return { ms: performance.now() - started, ...answer };
  },
};
window.benchReady = true;
