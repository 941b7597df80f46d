//! Table files that are not text (列式与表格文件): each reader turns a file into header names and
//! rows of text cells, so they go through the same mapping step and importer as a CSV.

pub mod parquet;
