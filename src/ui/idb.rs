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
//!
//! The requests, their events and the upgrade are the [`idb`] crate's (futures over IndexedDB's
//! requests and transactions, the base of `rexie`); only [`request_persistence`] is web-sys, as
//! neither gloo nor idb covers the Storage API.

use idb::{
    Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode, TransactionResult,
};
use wasm_bindgen::prelude::*;

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
    put_value(key, &JsValue::from_str(value)).await
}

/// Stores `bytes` under `key` as a `Uint8Array`, replacing what was there: tens of megabytes
/// go into the store as one copy, where a string of them is decoded to JavaScript's UTF-16 and
/// cloned again (110 ms for the 40 MB of a session's data with a line attribute).
///
/// # Errors
/// As [`put`].
pub async fn put_bytes(key: &str, bytes: &[u8]) -> Result<(), String> {
    put_value(key, &js_sys::Uint8Array::from(bytes).into()).await
}

/// Bytes in a piece of [`put_pieces`]: IndexedDB clones a value in the task that puts it, and
/// the 30 MB of a session's data with 200,000 customers took 70–90 ms of the page's thread.
const PIECE_BYTES: usize = 2 << 20;

/// The key of piece `index` of the value under `key` ([`put_pieces`]): zero-padded, so that
/// the keys of later pieces sort after it.
fn piece_key(key: &str, index: usize) -> String {
    format!("{key}/{index:06}")
}

/// Stores `bytes` under `key` as [`put_bytes`] does, in pieces of [`PIECE_BYTES`] each put in a
/// transaction (and so a task) of its own, then under `key` how many pieces there are and how
/// many bytes they hold, which [`get_bytes`] reads them by; the pieces an earlier, longer value
/// left go with it. Until that last transaction commits, `key` holds what it held before (a
/// value that names other pieces reads as broken, never as these bytes). Stops, writing no
/// note, once `wanted` says the bytes are no longer wanted (asked before each piece and the
/// note: a newer value is on its way, whose pieces these must not be mixed with).
///
/// # Errors
/// As [`put`].
pub async fn put_pieces(key: &str, bytes: &[u8], wanted: impl Fn() -> bool) -> Result<(), String> {
    let mut count = 0;
    for piece in bytes.chunks(PIECE_BYTES) {
        if !wanted() {
            return Ok(());
        }
        let value = js_sys::Uint8Array::from(piece);
        write(|store| put_in(store, &piece_key(key, count), &value)).await?;
        count += 1;
    }
    if !wanted() {
        return Ok(());
    }
    let note = js_sys::Array::of2(
        &JsValue::from(count as f64),
        &JsValue::from(bytes.len() as f64),
    );
    write(|store| {
        let stale = idb::KeyRange::bound(
            &JsValue::from_str(&piece_key(key, count)),
            &JsValue::from_str(&format!("{key}/~")),
            None,
            None,
        )
        .map_err(|e| describe("could not save", &e))?;
        store
            .delete(stale)
            .map_err(|e| describe("could not save", &e))?;
        put_in(store, key, &note)
    })
    .await
}

/// Puts `value` under `key` in the store of a transaction.
fn put_in(store: &idb::ObjectStore, key: &str, value: &JsValue) -> Result<(), String> {
    // The request settles with the transaction, which the caller awaits.
    store
        .put(value, Some(&JsValue::from_str(key)))
        .map(|_| ())
        .map_err(|e| describe("could not save", &e))
}

async fn put_value(key: &str, value: &JsValue) -> Result<(), String> {
    write(|store| put_in(store, key, value)).await
}

/// Runs `requests` on the store in a read-write transaction; resolves once it has committed.
async fn write(
    requests: impl FnOnce(&idb::ObjectStore) -> Result<(), String>,
) -> Result<(), String> {
    let db = open().await?;
    let result = async {
        let transaction = db
            .transaction(&[STORE], TransactionMode::ReadWrite)
            .map_err(|e| describe("could not start a transaction", &e))?;
        let store = transaction
            .object_store(STORE)
            .map_err(|e| describe("could not open the store", &e))?;
        requests(&store)?;
        // The same transaction, to read why it was aborted once the awaited one is consumed.
        let watched = store.transaction();
        match transaction.await {
            Ok(TransactionResult::Committed) => Ok(()),
            Ok(TransactionResult::Aborted) => Err(match watched.error() {
                Some(exception) => describe_exception("could not save", &exception),
                None => "could not save: the transaction was aborted".to_string(),
            }),
            Err(e) => Err(describe("could not save", &e)),
        }
    }
    .await;
    db.close();
    result
}

/// The bytes stored under `key` as a `Blob` (as bytes, as text, or in pieces with their note:
/// [`put_pieces`]), `None` when there is none. The stored bytes are referred to, never copied
/// into wasm memory: the blob goes to a worker as it is.
///
/// # Errors
/// Text naming the problem; also when a piece is missing or the pieces do not add up to the
/// length their note gives.
pub async fn get_blob(key: &str) -> Result<Option<web_sys::Blob>, String> {
    let Some(value) = get_value(key).await? else {
        return Ok(None);
    };
    let parts = js_sys::Array::new();
    let broken = || format!("could not read: the value under '{key}' is not whole");
    let length = if value.is_instance_of::<js_sys::Uint8Array>() || value.is_string() {
        parts.push(&value);
        None
    } else {
        // Stored in pieces (`put_pieces`): their count and length.
        let note = value.dyn_into::<js_sys::Array>().map_err(|_| {
            format!("could not read: the value under '{key}' is neither bytes nor text")
        })?;
        let (Some(count), Some(length)) = (note.get(0).as_f64(), note.get(1).as_f64()) else {
            return Err(broken());
        };
        for index in 0..count as usize {
            let piece = get_value(&piece_key(key, index))
                .await?
                .filter(|v| v.is_instance_of::<js_sys::Uint8Array>())
                .ok_or_else(broken)?;
            parts.push(&piece);
        }
        Some(length)
    };
    // The constructor takes bytes and text alike (its binding's name says one of them).
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts)
        .map_err(|_| format!("could not read: the value under '{key}' made no blob"))?;
    match length {
        Some(length) if blob.size() != length => Err(broken()),
        _ => Ok(Some(blob)),
    }
}

/// The text stored under `key`, `None` when there is none.
///
/// # Errors
/// Text naming the problem; also when the stored value is not text.
pub async fn get(key: &str) -> Result<Option<String>, String> {
    match get_value(key).await? {
        None => Ok(None),
        Some(value) => value
            .as_string()
            .map(Some)
            .ok_or_else(|| format!("could not read: the value under '{key}' is not text")),
    }
}

/// The value stored under `key`, `None` when there is none.
async fn get_value(key: &str) -> Result<Option<JsValue>, String> {
    let db = open().await?;
    let result = async {
        let transaction = db
            .transaction(&[STORE], TransactionMode::ReadOnly)
            .map_err(|e| describe("could not start a transaction", &e))?;
        let store = transaction
            .object_store(STORE)
            .map_err(|e| describe("could not open the store", &e))?;
        let value = store
            .get(JsValue::from_str(key))
            .map_err(|e| describe("could not read", &e))?
            .await
            .map_err(|e| describe("could not read", &e))?;
        Ok(value.filter(|v| !v.is_undefined() && !v.is_null()))
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
    factory()?
        .delete(DATABASE)
        .map_err(|e| describe("could not delete the stored session", &e))?
        .await
        .map_err(|e| describe("could not delete the stored session", &e))
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

/// `indexedDB` of the page.
fn factory() -> Result<Factory, String> {
    Factory::new().map_err(|e| describe("IndexedDB is not available", &e))
}

/// Opens the database, creating the store on first use.
async fn open() -> Result<Database, String> {
    let mut request = factory()?
        .open(DATABASE, Some(VERSION))
        .map_err(|e| describe("could not open the browser database", &e))?;
    request.on_upgrade_needed(|event| {
        let Ok(db) = event.database() else {
            return;
        };
        if !db.store_names().iter().any(|name| name == STORE) {
            // A failure here aborts the upgrade, which the open request reports as its error.
            let _ = db.create_object_store(STORE, ObjectStoreParams::new());
        }
    });
    request
        .await
        .map_err(|e| describe("could not open the browser database", &e))
}

/// `context: …` for an error of the idb crate, with a plain word for a full disk.
fn describe(context: &str, error: &idb::Error) -> String {
    match error {
        idb::Error::DomException(exception) => describe_exception(context, exception),
        other => format!("{context}: {other}"),
    }
}

/// `context: name: message` for a DOM exception, with a plain word for a full disk.
fn describe_exception(context: &str, exception: &web_sys::DomException) -> String {
    let (name, message) = (exception.name(), exception.message());
    if name == "QuotaExceededError" {
        return format!("{context}: the browser's storage is full ({name}: {message})");
    }
    format!("{context}: {name}: {message}")
}
