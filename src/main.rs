//! ValueLens entry point: in the browser, mount the app; natively, point to the build command.

fn main() {
    #[cfg(target_arch = "wasm32")]
    valuelens::ui::mount();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("ValueLens runs in the browser: `make serve` builds it and serves it on http://127.0.0.1:8080");
}
