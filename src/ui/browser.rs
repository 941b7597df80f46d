//! All browser glue that is not a component: storage, downloads, performance marks, languages.
//!
//! Blobs, files and object URLs are gloo's ([`gloo_file`]: an [`ObjectUrl`] revokes itself when
//! dropped), the delayed revocation is a [`gloo_timers`] timeout, and the document is
//! [`gloo_utils`]'s. web-sys stays where gloo has nothing or does not fit:
//! - **localStorage** (`storage_*`): `gloo-storage` JSON-encodes every value (the language tag
//!   `zh-CN` would be stored as `"zh-CN"`, and saved choices read back as nothing), its typed
//!   reading would bypass the engine's own checks of the saved boards and rules, and its
//!   `LocalStorage::raw()` throws where the browser blocks localStorage (sandboxed frames,
//!   blocked site data), where these functions read nothing and write nothing;
//! - the canvas, the image decoding, `performance`, `navigator`, `location`, the service worker
//!   and the style sheets: no gloo crate covers them;
//! - `canvas.toBlob`'s callback is awaited through a JS promise, which needs no channel crate.

use gloo_file::{Blob, ObjectUrl};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// `localStorage.getItem`, `None` when storage is unavailable (private mode, file://).
pub fn storage_get(key: &str) -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(key)
        .ok()?
}

/// Whether this page can use localStorage at all (not blocked by the browser's settings).
pub fn storage_works() -> bool {
    matches!(
        web_sys::window().map(|w| w.local_storage()),
        Some(Ok(Some(_)))
    )
}

/// `localStorage.setItem`, ignoring failures (quota, private mode).
pub fn storage_set(key: &str, value: &str) {
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = storage.set_item(key, value);
    }
}

/// `localStorage.removeItem`, ignoring failures.
pub fn storage_remove(key: &str) {
    if let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = storage.remove_item(key);
    }
}

/// The browser's preferred languages (`navigator.languages`).
pub fn preferred_languages() -> Vec<String> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    let navigator = window.navigator();
    let list: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if list.is_empty() {
        navigator.language().into_iter().collect()
    } else {
        list
    }
}

/// The first element matching `selector`, as an `HtmlElement`.
fn html_element(selector: &str) -> Option<web_sys::HtmlElement> {
    gloo_utils::document()
        .query_selector(selector)
        .ok()??
        .dyn_into::<web_sys::HtmlElement>()
        .ok()
}

/// Clicks the first element matching `selector` (a button opens its hidden file input so).
pub fn click(selector: &str) {
    if let Some(element) = html_element(selector) {
        element.click();
    }
}

/// Moves keyboard focus to the first element matching `selector`; false when there is none.
pub fn focus(selector: &str) -> bool {
    html_element(selector).is_some_and(|element| element.focus().is_ok())
}

/// Takes keyboard focus off the focused element when it is inside the first element matching
/// `selector` (which is about to be replaced) but not inside one matching `kept`: the browser
/// would otherwise move it to the body itself when the element goes, and lay out the whole page
/// at that moment to do so, in the middle of building what replaces it.
pub fn blur_within(selector: &str, kept: &str) {
    let document = gloo_utils::document();
    let (Some(active), Some(container)) = (document.active_element(), html_element(selector))
    else {
        return;
    };
    let in_kept = html_element(kept).is_some_and(|kept| kept.contains(Some(&active)));
    if container.contains(Some(&active)) && !in_kept {
        if let Some(active) = active.dyn_ref::<web_sys::HtmlElement>() {
            let _ = active.blur();
        }
    }
}

/// Sets `<html lang>`.
pub fn set_document_lang(tag: &str) {
    let _ = gloo_utils::document_element().set_attribute("lang", tag);
}

/// Sets the document title.
pub fn set_title(title: &str) {
    gloo_utils::document().set_title(title);
}

/// Logical processors the browser reports (1 when unknown).
pub fn hardware_concurrency() -> u32 {
    web_sys::window()
        .map(|w| w.navigator().hardware_concurrency() as u32)
        .unwrap_or(1)
        .max(1)
}

/// Milliseconds since page load.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// `performance.mark(name)`.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        performance.clear_marks_with_mark_name(name);
        let _ = performance.mark(name);
    }
}

/// `performance.measure(name, start_mark)`.
pub fn measure(name: &str, start_mark: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.measure_with_start_mark(name, start_mark);
    }
}

/// Offers `contents` as a file download (a Blob URL; nothing leaves the browser).
pub fn download(file_name: &str, mime: &str, contents: &str) -> Result<(), JsValue> {
    let url = ObjectUrl::from(Blob::new_with_options(contents, Some(mime)));
    // The click starts the download at once: the URL may go when `url` is dropped, here.
    click_link(&url, file_name)
}

/// Clicks a temporary `<a href=url download=file_name>`.
fn click_link(url: &str, file_name: &str) -> Result<(), JsValue> {
    let anchor: web_sys::HtmlAnchorElement =
        gloo_utils::document().create_element("a")?.dyn_into()?;
    anchor.set_href(url);
    anchor.set_download(file_name);
    anchor.click();
    Ok(())
}

/// A `File` made from text, so the sample and pasted cells take the same path as a dropped file.
pub fn text_file(name: &str, contents: &str) -> Result<web_sys::File, JsValue> {
    let file = gloo_file::File::new_with_options(name, contents, Some("text/csv"), None);
    Ok(AsRef::<web_sys::File>::as_ref(&file).clone())
}

/// The current URL fragment.
pub fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Sets the URL fragment (adds a history entry).
pub fn set_location_hash(hash: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(hash);
    }
}

/// Offers a `Blob` as a file download.
pub fn download_blob(file_name: &str, blob: &web_sys::Blob) -> Result<(), JsValue> {
    let url = ObjectUrl::from(blob.clone());
    click_link(&url, file_name)?;
    // Revoke later: some browsers read the URL after the click handler returns.
    gloo_timers::callback::Timeout::new(10_000, move || drop(url)).forget();
    Ok(())
}

/// The `width` and `height` attributes of an SVG document's root element.
pub fn svg_size(svg: &str) -> (f64, f64) {
    let head = &svg[..svg.find('>').unwrap_or(svg.len())];
    let attribute = |name: &str| -> Option<f64> {
        let start = head.find(&format!("{name}=\""))? + name.len() + 2;
        let end = head[start..].find('"')? + start;
        head[start..end].trim_end_matches("px").parse().ok()
    };
    (
        attribute("width").unwrap_or(800.0),
        attribute("height").unwrap_or(400.0),
    )
}

/// Renders an SVG document to a PNG `Blob` at `scale` × its size, in the browser (an `<img>`
/// from a Blob URL drawn on a canvas): the same SVG as on screen, nothing sent anywhere.
pub async fn svg_to_png(svg: &str, scale: f64) -> Result<web_sys::Blob, JsValue> {
    let (width, height) = svg_size(svg);
    let url = ObjectUrl::from(Blob::new_with_options(svg, Some("image/svg+xml")));
    let image = web_sys::HtmlImageElement::new()?;
    image.set_src(&url);
    let decoded = wasm_bindgen_futures::JsFuture::from(image.decode()).await;
    drop(url);
    decoded?;
    let canvas: web_sys::HtmlCanvasElement = gloo_utils::document()
        .create_element("canvas")?
        .dyn_into()?;
    canvas.set_width((width * scale).round() as u32);
    canvas.set_height((height * scale).round() as u32);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or("no 2d context")?
        .dyn_into()?;
    context.set_fill_style_str("#ffffff");
    context.fill_rect(0.0, 0.0, width * scale, height * scale);
    context.draw_image_with_html_image_element_and_dw_and_dh(
        &image,
        0.0,
        0.0,
        width * scale,
        height * scale,
    )?;
    let (sender, receiver) = futures_channel_like();
    let callback = Closure::once_into_js(move |blob: JsValue| sender(blob));
    canvas.to_blob(callback.unchecked_ref())?;
    let blob = receiver.await;
    blob.dyn_into::<web_sys::Blob>()
        .map_err(|_| JsValue::from_str("the canvas gave no PNG"))
}

/// A one-shot channel on a JS Promise: the sender resolves it, the receiver awaits it.
fn futures_channel_like() -> (
    impl FnOnce(JsValue),
    impl std::future::Future<Output = JsValue>,
) {
    let mut resolve_slot: Option<js_sys::Function> = None;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| resolve_slot = Some(resolve));
    let resolve = resolve_slot.expect("Promise::new runs its executor at once");
    let sender = move |value: JsValue| {
        let _ = resolve.call1(&JsValue::UNDEFINED, &value);
    };
    let receiver = async move {
        wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .unwrap_or(JsValue::NULL)
    };
    (sender, receiver)
}

/// Registers the offline service worker `./sw.js` (written by `scripts/post-build.mjs`; relative,
/// so it works from any sub-path). Only over http(s) in a secure context (not from `file://`),
/// and not in the single-file build (`make single`), which has no `sw.js` beside it and marks
/// itself by setting `window.__VALUELENS_WORKER_URL__`. A failure (blocked, unsupported) is
/// silent: the app then simply needs the network, as without a service worker.
pub fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let protocol = window.location().protocol().unwrap_or_default();
    if protocol != "http:" && protocol != "https:" || !window.is_secure_context() {
        return;
    }
    if single_file_worker_url().is_some() {
        return;
    }
    let navigator = window.navigator();
    let supported = js_sys::Reflect::get(&navigator, &JsValue::from_str("serviceWorker"))
        .map(|container| !container.is_undefined() && !container.is_null())
        .unwrap_or(false);
    if !supported {
        return;
    }
    let promise = navigator.service_worker().register("./sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        // Awaited only so that a rejection is handled rather than reported as uncaught.
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    });
}

/// The global through which the single-file build (`scripts/single-file.mjs`) hands the app the
/// Blob URL of its inlined import worker.
pub const SINGLE_FILE_WORKER_URL: &str = "__VALUELENS_WORKER_URL__";
/// The same for the analysis worker.
pub const SINGLE_FILE_ANALYST_URL: &str = "__VALUELENS_ANALYST_URL__";
/// The same for the reader worker of table files (Excel, Parquet).
pub const SINGLE_FILE_READER_URL: &str = "__VALUELENS_READER_URL__";
/// The same for the restore worker of saved workspaces.
pub const SINGLE_FILE_RESTORER_URL: &str = "__VALUELENS_RESTORER_URL__";

/// `window.__VALUELENS_WORKER_URL__` when it is a string (only in the single-file build).
pub fn single_file_worker_url() -> Option<String> {
    single_file_url(SINGLE_FILE_WORKER_URL)
}

/// `window[global]` when it is a string (only in the single-file build).
pub fn single_file_url(global: &str) -> Option<String> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &JsValue::from_str(global))
        .ok()?
        .as_string()
}

/// The element with id `element_id` as a complete HTML document with every style sheet of the
/// page inlined (no scripts, no external references): the report saved as one file.
pub fn self_contained_html(element_id: &str, title: &str, lang: &str) -> Option<String> {
    let document = gloo_utils::document();
    let element = document.get_element_by_id(element_id)?;
    let mut css = String::new();
    let sheets = document.style_sheets();
    for i in 0..sheets.length() {
        let Some(sheet) = sheets
            .item(i)
            .and_then(|s| s.dyn_into::<web_sys::CssStyleSheet>().ok())
        else {
            continue;
        };
        let Ok(rules) = sheet.css_rules() else {
            continue;
        };
        for j in 0..rules.length() {
            if let Some(rule) = rules.item(j) {
                css.push_str(&rule.css_text());
                css.push('\n');
            }
        }
    }
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    Some(format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n<title>{}</title>\n<style>\n{css}</style>\n</head>\n<body class=\"vl-report-export\">\n{}\n</body>\n</html>\n",
        escape(title),
        element.outer_html()
    ))
}
