//! The import worker (导入线程): reads the dropped file in chunks, decodes, parses and aggregates
//! per customer, and posts progress and the result back to the page. No DOM, no charts here.

#[cfg(target_arch = "wasm32")]
mod web {
    use js_sys::{Reflect, Uint8Array};
    use valuelens::engine::error::Error;
    use valuelens::engine::ingest::{inspect, Importer};
    use valuelens::protocol::{Finished, Request, Response, IMPORT_CHUNK_BYTES, INSPECT_BYTES};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

    fn post(scope: &DedicatedWorkerGlobalScope, response: &Response) {
        let bytes = Uint8Array::from(response.to_bytes().as_slice());
        // Transfer the buffer: no copy on the way to the page.
        let transfer = js_sys::Array::of1(&bytes.buffer());
        let _ = scope.post_message_with_transfer(&bytes, &transfer);
    }

    fn read_range(
        reader: &FileReaderSync,
        file: &Blob,
        start: u64,
        end: u64,
    ) -> Result<Vec<u8>, Error> {
        let slice = file
            .slice_with_f64_and_f64(start as f64, end as f64)
            .map_err(|e| Error::Format {
                what: "the file".into(),
                reason: format!("{e:?}"),
            })?;
        let buffer = reader
            .read_as_array_buffer(&slice)
            .map_err(|e| Error::Format {
                what: "the file".into(),
                reason: format!("{e:?}"),
            })?;
        Ok(Uint8Array::new(&buffer).to_vec())
    }

    fn handle(scope: &DedicatedWorkerGlobalScope, event: MessageEvent) -> Result<Response, Error> {
        let data = event.data();
        let request_text = Reflect::get(&data, &JsValue::from_str("request"))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let request = Request::from_json(&request_text)?;
        let file: Blob = Reflect::get(&data, &JsValue::from_str("file"))
            .ok()
            .and_then(|v| v.dyn_into().ok())
            .ok_or_else(|| Error::Format {
                what: "the request".into(),
                reason: "no file was sent".into(),
            })?;
        let reader = FileReaderSync::new().map_err(|e| Error::Format {
            what: "the file".into(),
            reason: format!("{e:?}"),
        })?;
        let total = file.size() as u64;
        match request {
            Request::Inspect { options } => {
                let end = total.min(INSPECT_BYTES);
                let head = read_range(&reader, &file, 0, end)?;
                Ok(Response::Preview(Box::new(inspect(
                    &head,
                    end == total,
                    &options,
                )?)))
            }
            Request::Import { settings } => {
                let mut importer = Importer::new(settings)?;
                let mut start = 0u64;
                while start < total {
                    let end = (start + IMPORT_CHUNK_BYTES).min(total);
                    let chunk = read_range(&reader, &file, start, end)?;
                    importer.push(&chunk);
                    start = end;
                    post(
                        scope,
                        &Response::Progress {
                            bytes: start,
                            total,
                            rows: importer.rows_read(),
                            customers: importer.customers_so_far(),
                        },
                    );
                }
                Ok(Response::Done(Box::new(Finished::new(importer.finish()?))))
            }
        }
    }

    pub fn start() {
        console_error_panic_hook::set_once();
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let scope_for_handler = scope.clone();
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let response = handle(&scope_for_handler, event).unwrap_or_else(Response::Failed);
            let finished = matches!(response, Response::Done(_));
            post(&scope_for_handler, &response);
            drop(response);
            if finished {
                // A wasm instance never returns memory: after a finished import this worker
                // holds the peak of the aggregation. End it now, before the page decodes the
                // result, so the two peaks never add up; the page starts a fresh worker.
                scope_for_handler.close();
            }
        });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        // Messages sent before the wasm module ran are lost, so the page waits for this.
        post(&scope, &Response::Ready);
    }
}

fn main() {
    #[cfg(target_arch = "wasm32")]
    web::start();
}
