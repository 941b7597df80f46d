//! The last session in IndexedDB: a tiny text key-value store (database `valuelens`, object
//! store `session`) that survives a reload, and [`clear_all`] behind "forget everything on this
//! computer".
//!
//! IndexedDB rather than local storage because a session with its data can be tens of
//! megabytes (local storage stops at about 5 MB). Every call opens the database, does one
//! transaction and closes it again, so no connection is left open to block [`clear_all`] in
//! another tab. Failures — no IndexedDB (private mode, a sandboxed frame), a full disk
//! (`QuotaExceededError`), a blocked or aborted transaction — come back as `Err` text for the
//! console or a notice; nothing here panics.

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DomException, Event, EventTarget, IdbDatabase, IdbFactory, IdbOpenDbRequest, IdbRequest,
    IdbTransactionMode,
};

/// The database's name.
const DATABASE: &str = "valuelens";
/// The database's version (the one that creates [`STORE`]).
const VERSION: u32 = 1;
/// The object store of the last session.
const STORE: &str = "session";

/// Stores `value` under `key`, replacing what was there; resolves once the transaction has
/// committed.
///
/// # Errors
/// Text naming the problem, e.g. "the browser's storage is full (QuotaExceededError: …)".
pub async fn put(key: &str, value: &str) -> Result<(), String> {
    let db = open().await?;
    let result = async {
        let transaction = db
            .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
            .map_err(|e| describe("could not start a transaction", &e))?;
        let store = transaction
            .object_store(STORE)
            .map_err(|e| describe("could not open the store", &e))?;
        store
            .put_with_key(&JsValue::from_str(value), &JsValue::from_str(key))
            .map_err(|e| describe("could not save", &e))?;
        let committed = settle(&transaction, "complete", &["error", "abort"]).await;
        committed.map_err(|()| match transaction.error() {
            Some(error) => describe("could not save", &error),
            None => "could not save: the transaction was aborted".to_string(),
        })
    }
    .await;
    db.close();
    result
}

/// The text stored under `key`, `None` when there is none.
///
/// # Errors
/// Text naming the problem; also when the stored value is not text.
pub async fn get(key: &str) -> Result<Option<String>, String> {
    let db = open().await?;
    let result = async {
        let transaction = db
            .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readonly)
            .map_err(|e| describe("could not start a transaction", &e))?;
        let store = transaction
            .object_store(STORE)
            .map_err(|e| describe("could not open the store", &e))?;
        let request = store
            .get(&JsValue::from_str(key))
            .map_err(|e| describe("could not read", &e))?;
        let value = outcome(&request, "could not read").await?;
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        value
            .as_string()
            .map(Some)
            .ok_or_else(|| format!("could not read: the value under '{key}' is not text"))
    }
    .await;
    db.close();
    result
}

/// Deletes the whole database (`indexedDB.deleteDatabase`). Resolves when it is gone; while
/// another tab holds a connection the deletion waits for it to close.
///
/// # Errors
/// Text naming the problem (no IndexedDB, or the browser refused).
pub async fn clear_all() -> Result<(), String> {
    let request = factory()?
        .delete_database(DATABASE)
        .map_err(|e| describe("could not delete the stored session", &e))?;
    outcome(&request, "could not delete the stored session")
        .await
        .map(drop)
}

/// Asks the browser to keep this site's storage under storage pressure
/// (`navigator.storage.persist()`), without waiting for the answer; browsers may decline.
pub fn request_persistence() {
    if let Some(window) = web_sys::window() {
        // `persist` is missing in some embedded browsers: check before calling.
        let storage = window.navigator().storage();
        if js_sys::Reflect::has(&storage, &JsValue::from_str("persist")).unwrap_or(false) {
            let _ = storage.persist();
        }
    }
}

/// `window.indexedDB`.
fn factory() -> Result<IdbFactory, String> {
    web_sys::window()
        .ok_or_else(|| "IndexedDB is not available: no window".to_string())?
        .indexed_db()
        .map_err(|e| describe("IndexedDB is not available", &e))?
        .ok_or_else(|| "IndexedDB is not available in this browser".to_string())
}

/// Opens the database, creating the store on first use.
async fn open() -> Result<IdbDatabase, String> {
    let request: IdbOpenDbRequest = factory()?
        .open_with_u32(DATABASE, VERSION)
        .map_err(|e| describe("could not open the browser database", &e))?;
    let upgrading = request.clone();
    let on_upgrade = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
        let Ok(db) = upgrading
            .result()
            .and_then(|db| db.dyn_into::<IdbDatabase>())
        else {
            return;
        };
        if !db.object_store_names().contains(STORE) {
            // A failure here aborts the upgrade, which `outcome` reports as the open's error.
            let _ = db.create_object_store(STORE);
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let opened = outcome(&request, "could not open the browser database").await;
    request.set_onupgradeneeded(None);
    drop(on_upgrade);
    opened?
        .dyn_into::<IdbDatabase>()
        .map_err(|_| "could not open the browser database: no database came back".to_string())
}

/// Waits for a request to succeed and returns its result, or its error as text.
async fn outcome(request: &IdbRequest, context: &str) -> Result<JsValue, String> {
    match settle(request, "success", &["error"]).await {
        Ok(()) => request.result().map_err(|e| describe(context, &e)),
        Err(()) => Err(match request.error() {
            Ok(Some(error)) => describe(context, &error),
            _ => format!("{context}: the request failed"),
        }),
    }
}

/// Resolves on the first `ok` event of `target`, fails on the first of `failures`; the
/// listeners are removed afterwards either way.
async fn settle(target: &EventTarget, ok: &str, failures: &[&str]) -> Result<(), ()> {
    let mut settle_with: Option<(Function, Function)> = None;
    let promise = Promise::new(&mut |resolve, reject| settle_with = Some((resolve, reject)));
    let (resolve, reject) = settle_with.ok_or(())?;
    let on_ok = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
        let _ = resolve.call0(&JsValue::UNDEFINED);
    });
    let on_failure = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
        let _ = reject.call0(&JsValue::UNDEFINED);
    });
    let ok_fn: &Function = on_ok.as_ref().unchecked_ref();
    let failure_fn: &Function = on_failure.as_ref().unchecked_ref();
    let mut added = target.add_event_listener_with_callback(ok, ok_fn).is_ok();
    for event in failures {
        added &= target
            .add_event_listener_with_callback(event, failure_fn)
            .is_ok();
    }
    let result = if added {
        JsFuture::from(promise).await.map(drop).map_err(drop)
    } else {
        Err(())
    };
    let _ = target.remove_event_listener_with_callback(ok, ok_fn);
    for event in failures {
        let _ = target.remove_event_listener_with_callback(event, failure_fn);
    }
    result
}

/// `context: name: message` for a DOM exception, with a plain word for a full disk.
fn describe(context: &str, error: &JsValue) -> String {
    if let Some(exception) = error.dyn_ref::<DomException>() {
        let (name, message) = (exception.name(), exception.message());
        if name == "QuotaExceededError" {
            return format!("{context}: the browser's storage is full ({name}: {message})");
        }
        return format!("{context}: {name}: {message}");
    }
    match error.as_string() {
        Some(text) => format!("{context}: {text}"),
        None => format!("{context}: {error:?}"),
    }
}
