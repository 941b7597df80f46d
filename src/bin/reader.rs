//! The reader worker (表格读取线程): the import worker's body (`valuelens::import_worker`) plus
//! the readers of table files — Excel workbooks (`.xlsx`, read whole with calamine) and Parquet
//! files — in a bundle of its own, so the import worker of text files does not grow. The page
//! starts it on demand when a dropped file is a table file (by its name, or by its first bytes
//! when the import worker found it no text), and talks to it as to the import worker: `Inspect`
//! answers a preview (and, when nothing is unclear, goes on importing), `Import` imports with
//! the settings, progress is posted as rows are read, and Cancel ends the worker.
//!
//! A table's rows go through `Importer::push_row`, the same checks, rejected-row report and
//! aggregation as the rows of a CSV; `inspect_table` makes the same guesses as for a CSV's head.
//! A Parquet file's mapped columns go as typed cells through `Importer::push_typed_row`, which
//! takes a row only as `push_row` would take its text (the others go as text).

#[cfg(target_arch = "wasm32")]
mod web {
    use gloo_file::Blob;
    use valuelens::engine::error::{Error, FormatProblem, FormatSubject, ParquetProblem};
    use valuelens::engine::formats::parquet::{Opened, ParquetFile, TableRow};
    use valuelens::engine::formats::xlsx::{
        Sheet, Workbook, HEAD_ROWS, MAX_XLSX_BYTES, PROGRESS_CELLS,
    };
    use valuelens::engine::formats::{table_error, FileKind, TableHead, TableProblem};
    use valuelens::engine::ingest::{
        inspect_table, ImportSettings, Importer, InspectOptions, Preview, TableSource, PREVIEW_ROWS,
    };
    use valuelens::import_worker::{finished, note_table_piece, now, read_range, Job, TableFuture};
    use valuelens::protocol::{Request, Response};

    /// Rows between two progress messages.
    const PROGRESS_ROWS: u64 = 20_000;

    /// The share of a workbook's progress given to reading its sheet (unzipping it and parsing
    /// its cells, which calamine does before any row can be imported), the rest to importing
    /// the rows: reading is most of the work.
    const XLSX_READ_SHARE: f64 = 0.8;

    /// The table path ([`valuelens::import_worker::TableHandler`]).
    pub fn tables(job: Job, file: Blob, kind: FileKind, request: Request) -> TableFuture {
        Box::pin(async move {
            match kind {
                FileKind::Xlsx => xlsx(&job, &file, request).await,
                FileKind::Parquet => parquet(&job, &file, request).await,
                FileKind::OldExcel => Err(table_error(kind, TableProblem::OldExcel)),
                // Not sent here (`import_worker` reads text itself).
                FileKind::Text => Ok(None),
            }
        })
    }

    /// The answer to an `Inspect`: the preview; when `auto` and nothing is unclear, the preview
    /// is posted and the settings to import with at once are returned instead.
    fn preview_or_go_on(
        job: &Job,
        preview: Preview,
        auto: bool,
    ) -> Result<ImportSettings, Response> {
        if auto && preview.concerns().is_empty() {
            let settings = preview.settings();
            job.post(Response::Preview(Box::new(preview)));
            Ok(settings)
        } else {
            Err(Response::Preview(Box::new(preview)))
        }
    }

    /// Feeds table rows to an importer, posting progress every [`PROGRESS_ROWS`] rows (bytes
    /// counted as the share of the file's rows read).
    struct Feed<'a> {
        job: &'a Job,
        importer: Importer,
        /// The share of the progress done before the first row (reading a workbook's sheet).
        base: f64,
        total_bytes: u64,
        total_rows: u64,
        seen: u64,
    }

    impl<'a> Feed<'a> {
        fn new(
            job: &'a Job,
            settings: ImportSettings,
            total_bytes: u64,
            total_rows: u64,
        ) -> Result<Self, Error> {
            Ok(Feed {
                job,
                importer: Importer::new_table(settings)?,
                base: 0.0,
                total_bytes,
                total_rows: total_rows.max(1),
                seen: 0,
            })
        }

        fn row(&mut self, line: u64, cells: &[&str]) {
            self.importer.push_row(line, cells);
            self.seen += 1;
            if self.seen.is_multiple_of(PROGRESS_ROWS) {
                self.progress();
            }
        }

        /// One row of a Parquet file: typed cells when the importer takes them, else text.
        fn table_row(&mut self, line: u64, row: TableRow) -> bool {
            match row {
                TableRow::Typed {
                    cells,
                    undecoded_bytes,
                } => {
                    if !self.importer.push_typed_row(cells, undecoded_bytes) {
                        return false;
                    }
                    self.seen += 1;
                    if self.seen.is_multiple_of(PROGRESS_ROWS) {
                        self.progress();
                    }
                    true
                }
                TableRow::Text(cells) => {
                    self.row(line, cells);
                    true
                }
            }
        }

        fn progress(&self) {
            let share = self.seen.min(self.total_rows) as f64 / self.total_rows as f64;
            let share = self.base + (1.0 - self.base) * share;
            self.job.post(Response::Progress {
                bytes: (self.total_bytes as f64 * share) as u64,
                total: self.total_bytes,
                rows: self.importer.rows_read(),
                customers: self.importer.customers_so_far(),
                part: false,
            });
        }

        fn finish(mut self) -> Result<Option<Response>, Error> {
            self.seen = self.total_rows;
            self.progress();
            self.importer.add_bytes(self.total_bytes);
            finished(self.importer)
        }
    }

    /// An Excel workbook: read whole, the sheet asked for (or the first) found, its head
    /// inspected, its rows imported.
    async fn xlsx(job: &Job, file: &Blob, request: Request) -> Result<Option<Response>, Error> {
        let total = file.size();
        if total > MAX_XLSX_BYTES {
            return Err(table_error(
                FileKind::Xlsx,
                TableProblem::TooLarge {
                    bytes: total,
                    limit: MAX_XLSX_BYTES,
                },
            ));
        }
        let mut bytes = Vec::new();
        read_range(file, 0, total, &mut bytes).await?;
        let mut book = Workbook::open(bytes)?;
        // Progress while the sheet's cells are parsed (Cancel ends the worker at any time).
        let mut reading = |share: f64| {
            job.post(Response::Progress {
                bytes: (total as f64 * XLSX_READ_SHARE * share) as u64,
                total,
                rows: 0,
                customers: 0,
                part: false,
            })
        };
        let (settings, sheet) = match request {
            Request::Inspect { options, auto, .. } => {
                let sheet = book.sheet_with_progress(
                    options.sheet.as_deref(),
                    PROGRESS_CELLS,
                    &mut reading,
                )?;
                match preview_or_go_on(job, sheet_preview(&sheet, &options)?, auto) {
                    Ok(settings) => (settings, sheet),
                    Err(answer) => return Ok(Some(answer)),
                }
            }
            Request::Import { settings, .. } => {
                let name = match &settings.source {
                    TableSource::Xlsx { sheet } => Some(sheet.as_str()),
                    _ => None,
                };
                let sheet = book.sheet_with_progress(name, PROGRESS_CELLS, &mut reading)?;
                (settings, sheet)
            }
            Request::ImportPart { .. } | Request::Absorb => return Ok(None),
        };
        drop(book);
        let mut feed = Feed::new(job, settings, total, sheet.data_rows())?;
        feed.base = XLSX_READ_SHARE;
        sheet.for_each_row(|line, cells| {
            feed.row(line, cells);
            true
        });
        feed.finish()
    }

    /// The preview of a sheet.
    fn sheet_preview(sheet: &Sheet, options: &InspectOptions) -> Result<Preview, Error> {
        let head = sheet.head(HEAD_ROWS.max(PREVIEW_ROWS));
        let source = TableSource::Xlsx {
            sheet: sheet.name().to_string(),
        };
        inspect_table(&head, source, options)
    }

    /// The file's last bytes read first for a Parquet footer: most footers fit.
    const PARQUET_TAIL: u64 = 64 * 1024;

    /// A Parquet file, read in pieces and never whole: the footer from the last 64 KiB (or the
    /// longer tail it asks for), then each row group from its own byte range (`Blob.slice`),
    /// decoded into the importer, progress after each row group and every
    /// [`PROGRESS_ROWS`] rows; Cancel ends the worker as for a CSV.
    async fn parquet(job: &Job, file: &Blob, request: Request) -> Result<Option<Response>, Error> {
        let total = file.size();
        let mut bytes = Vec::new();
        read_range(file, total.saturating_sub(PARQUET_TAIL), total, &mut bytes).await?;
        let parquet = match ParquetFile::open(total, &bytes)? {
            Opened::Ready(parquet) => parquet,
            Opened::NeedTail(n) => {
                read_range(file, total.saturating_sub(n as u64), total, &mut bytes).await?;
                match ParquetFile::open(total, &bytes)? {
                    Opened::Ready(parquet) => parquet,
                    Opened::NeedTail(_) => {
                        return Err(parquet_error(ParquetProblem::DamagedFooter {
                            detail: "the footer asked for more bytes twice".into(),
                        }))
                    }
                }
            }
        };
        // Row group 0's bytes, read for the preview, are imported without reading them again.
        let mut group_0_read = false;
        let settings = match request {
            Request::Inspect { options, auto, .. } => {
                let range = parquet.row_group_bytes(0);
                read_range(file, range.start, range.end, &mut bytes).await?;
                group_0_read = true;
                let head = TableHead {
                    names: parquet.column_names(),
                    rows: parquet.head_rows(&bytes, PREVIEW_ROWS)?,
                    complete: parquet.rows() <= PREVIEW_ROWS as u64,
                    layout: valuelens::engine::formats::TableLayout {
                        skipped_columns: parquet.skipped_columns().to_vec(),
                        ..Default::default()
                    },
                };
                let preview = inspect_table(&head, TableSource::Parquet, &options)?;
                match preview_or_go_on(job, preview, auto) {
                    Ok(settings) => settings,
                    Err(answer) => return Ok(Some(answer)),
                }
            }
            Request::Import { settings, .. } => settings,
            Request::ImportPart { .. } | Request::Absorb => return Ok(None),
        };
        let mut feed = Feed::new(job, settings, total, parquet.rows())?;
        let uses = feed.importer.column_uses(parquet.column_names().len());
        for group in 0..parquet.row_groups() {
            let asked = now();
            if !(group == 0 && group_0_read) {
                let range = parquet.row_group_bytes(group);
                read_range(file, range.start, range.end, &mut bytes).await?;
            }
            let got = now();
            match &uses {
                Some(uses) => {
                    parquet.read_row_group_typed(group, &bytes, uses, &mut |line, row| {
                        feed.table_row(line, row)
                    })?
                }
                None => parquet
                    .read_row_group(group, &bytes, &mut |line, cells| feed.row(line, cells))?,
            }
            note_table_piece(got - asked, now() - got, bytes.len() as u64);
            feed.progress();
        }
        feed.finish()
    }

    fn parquet_error(problem: ParquetProblem) -> Error {
        Error::Format {
            what: FormatSubject::ParquetFile,
            reason: FormatProblem::Parquet(problem),
        }
    }
}

fn main() {
    #[cfg(target_arch = "wasm32")]
    valuelens::import_worker::start(Some(web::tables));
}
