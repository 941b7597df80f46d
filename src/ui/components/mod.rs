//! The components, one file each. They read state and call the controller; analysis logic lives
//! in the engine, and what a component shows (figures, charts, tables, CSVs, sentences) comes
//! from `crate::present`.

pub mod breakdown;
pub mod chart;
pub mod clusters;
pub mod clv;
pub mod customer_table;
pub mod data_strip;
pub mod deciles;
pub mod drop_zone;
pub mod filter;
pub mod header;
pub mod job_status;
pub mod lifecycle;
pub mod loyalty;
pub mod mapping;
pub mod master;
pub mod metric;
pub mod mix;
pub mod monthly;
pub mod overview;
pub mod placeholder;
pub mod profiles;
pub mod report;
pub mod rfm;
pub mod sql;
pub mod survey;
pub mod swot;
pub mod table;
pub mod upload;
pub mod user_text;
pub mod view_parts;
pub mod workspace;
