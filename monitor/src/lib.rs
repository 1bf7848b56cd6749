//! JobGuard's monitoring service as a library (the binary is a thin wrapper, and tests start it in-process):
//! readers' reports in, signed rule packs out, and a dashboard where reviewers confirm cases for takedown.
//!
//! - [`app`]: state, router, serving with graceful shutdown; [`config`]: the command line.
//! - [`api`]: the JSON API; [`dashboard`]: the reviewers' HTML pages; [`auth`]: accounts and sessions.
//! - [`validate`], [`urlnorm`]: checking reports field by field; one case per posting.
//! - [`reports`], [`cases`]: storage; [`db`]: SQLite or PostgreSQL with migrations.
//! - [`ingest`]: crawled postings scanned into cases.
//! - [`indicators`]: contact indicators of reports and scans, their counts and reviews.
//! - [`clusters`]: near-duplicate and shared-contact cases grouped into clusters; [`trends`]: SVG charts.
//! - [`packs`]: the signed pack served and published; [`ratelimit`], [`i18n`], [`clock`], [`token`], [`error`].

pub mod api;
pub mod app;
pub mod auth;
pub mod cases;
pub mod clock;
pub mod clusters;
pub mod config;
pub mod dashboard;
pub mod db;
pub mod error;
pub mod i18n;
pub mod indicators;
pub mod ingest;
pub mod packs;
pub mod ratelimit;
pub mod reports;
pub mod token;
pub mod trends;
pub mod urlnorm;
pub mod validate;
