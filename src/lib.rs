//! ValueLens (客户价值工作台): customer-value analysis that runs entirely in the browser.
pub mod engine;
