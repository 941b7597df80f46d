// Papa Parse + plain JavaScript: what a web developer would write without a database. Parses the
// File in 4 MiB chunks (Papa's own streaming) and aggregates per customer in a Map: rows, distinct
// orders, net sales and profit, first and last date (ISO dates compare as text).
importScripts('/node_modules/papaparse/papaparse.min.js');

self.onmessage = (event) => {
  const { file } = event.data;
  if (!file) {
    self.postMessage({ ready: true, version: self.Papa.VERSION });
    return;
  }
  const customers = new Map();
  let header = null;
  let c, o, d, a, p;
  let rows = 0;
  self.Papa.parse(file, {
    chunkSize: 4 * 1024 * 1024,
    skipEmptyLines: true,
    chunk(results) {
      for (const row of results.data) {
        if (header === null) {
          header = row;
          [c, o, d, a, p] = ['customer_id', 'order_id', 'order_date', 'amount', 'profit'].map((name) =>
            header.indexOf(name),
          );
          continue;
        }
        rows++;
        const id = row[c];
        const date = row[d];
        let customer = customers.get(id);
        if (customer === undefined) {
          customer = { rows: 0, orders: new Set(), sales: 0, profit: 0, first: date, last: date };
          customers.set(id, customer);
        }
        customer.rows++;
        customer.orders.add(row[o]);
        customer.sales += Number(row[a]);
        customer.profit += Number(row[p]);
        if (date < customer.first) customer.first = date;
        if (date > customer.last) customer.last = date;
      }
    },
    complete() {
      let sales = 0;
      for (const customer of customers.values()) sales += customer.sales;
      self.postMessage({ rows, customers: customers.size, sales });
    },
    error(error) {
      self.postMessage({ error: String(error) });
    },
  });
};
