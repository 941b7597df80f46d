//! ValueLens entry point: in the browser, mount the app; natively, the command line for
//! pipelines (`valuelens sql …`, the SQL pack of `engine::sql`) or a pointer to the build command.

#[cfg(target_arch = "wasm32")]
fn main() {
    valuelens::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    native::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::process::ExitCode;

    use valuelens::engine::sql::{write_sql, Dialect, SqlParams, SqlSource};

    const USAGE: &str = "usage: valuelens sql --dialect duckdb|spark --mapping mapping.json [--params params.json] [--table NAME]

Writes the analysis as SQL to standard output (see src/engine/sql/mod.rs for the file formats):
  --mapping  {\"table\": \"orders\", \"headers\": [\"customer_id\", \"order_date\", \"amount\"],
              \"mapping\": {\"customer\": 0, \"date\": 1, \"amount\": 2}}  (or saved import settings)
  --params   {\"groups\": {...}, \"rfm\": {\"bins\": 5, ...}, \"segments\": {...}}  (defaults when left out)
  --table    the source table, in place of the mapping's

ValueLens itself runs in the browser: `make serve` builds it and serves it on http://127.0.0.1:8080";

    /// What can go wrong on the command line.
    #[derive(Debug)]
    enum CliError {
        /// The arguments do not make a command.
        Usage(String),
        /// A file could not be read.
        Read(String, std::io::Error),
        /// A file is not the JSON expected.
        Json(String, serde_json::Error),
        /// The engine refused the mapping or the parameters.
        Engine(valuelens::engine::Error),
    }

    impl std::fmt::Display for CliError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            match self {
                CliError::Usage(what) => write!(f, "{what}\n\n{USAGE}"),
                CliError::Read(path, error) => write!(f, "cannot read {path}: {error}"),
                CliError::Json(path, error) => write!(f, "{path}: {error}"),
                CliError::Engine(error) => write!(f, "{error}"),
            }
        }
    }

    struct Args {
        dialect: Dialect,
        mapping: String,
        params: Option<String>,
        table: Option<String>,
    }

    fn parse(args: &[String]) -> Result<Args, CliError> {
        let usage = |what: &str| CliError::Usage(what.to_string());
        let Some((command, rest)) = args.split_first() else {
            return Err(usage("no command given"));
        };
        if command != "sql" {
            return Err(usage(&format!("unknown command '{command}'")));
        }
        let (mut dialect, mut mapping, mut params, mut table) = (None, None, None, None);
        let mut rest = rest.iter();
        while let Some(flag) = rest.next() {
            let mut value = || {
                rest.next()
                    .cloned()
                    .ok_or_else(|| usage(&format!("{flag} needs a value")))
            };
            match flag.as_str() {
                "--dialect" => {
                    let name = value()?;
                    dialect = Some(
                        Dialect::from_name(&name)
                            .ok_or_else(|| usage(&format!("unknown dialect '{name}'")))?,
                    );
                }
                "--mapping" => mapping = Some(value()?),
                "--params" => params = Some(value()?),
                "--table" => table = Some(value()?),
                other => return Err(usage(&format!("unknown option '{other}'"))),
            }
        }
        Ok(Args {
            dialect: dialect.ok_or_else(|| usage("--dialect is required"))?,
            mapping: mapping.ok_or_else(|| usage("--mapping is required"))?,
            params,
            table,
        })
    }

    fn read_json<T: serde::de::DeserializeOwned>(path: &str) -> Result<T, CliError> {
        let text =
            std::fs::read_to_string(path).map_err(|e| CliError::Read(path.to_string(), e))?;
        serde_json::from_str(&text).map_err(|e| CliError::Json(path.to_string(), e))
    }

    fn run(args: &[String]) -> Result<String, CliError> {
        let args = parse(args)?;
        let mut source: SqlSource = read_json(&args.mapping)?;
        if let Some(table) = args.table {
            source.table = table;
        }
        let params: SqlParams = match &args.params {
            Some(path) => read_json(path)?,
            None => SqlParams::default(),
        };
        let pack = write_sql(&source, &params, args.dialect).map_err(CliError::Engine)?;
        Ok(pack.text)
    }

    pub fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        if args.is_empty() {
            eprintln!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        match run(&args) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("valuelens: {error}");
                ExitCode::from(2)
            }
        }
    }
}
