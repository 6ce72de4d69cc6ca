//! The integration tests: one binary (`cargo test --test it`) that runs the
//! `dossier` executable the way a user does and checks what it prints, the
//! exit codes and what ends up in the database.
//!
//! Where a new test goes:
//! - `ingest`: reading files, folders and standard input; the summary and
//!   exit codes; the matching rules (one table row per case) and ambiguity;
//!   unchanged and changed documents; the global options and environment.
//! - `listing`: `entities`, `mentions`, `documents` in every format,
//!   `export json` and `eval`.
//! - `gazetteer`: `gazetteer check/add/import`, malformed gazetteers, and
//!   `reindex` after a gazetteer changed.
//! - `identity`: `same-as` groups in queries, `why`, `mentions` and the
//!   exports; `gazetteer merge`; what `check` says of `same-as`.
//! - `forget`: removing documents.
//! - `cli`: completions, the manual page, progress bars and tables on a
//!   terminal, colour, the shell's exit code, a copied binary.
//! - `encodings`: one row per file of `tests/fixtures/encodings`.
//! - `serve`: the web pages of `dossier serve`, over HTTP; `browser`: the
//!   same in headless Chromium (screenshots in `target/serve-*.png`).
//! - `interrupt`: Ctrl-C during an export or while Graphviz draws; the
//!   time limit of Graphviz.
//! - `fuzzed`: the cases kept for the fuzz targets (`fuzz/corpus`).
//! - `crash`: a killed or interrupted ingest leaves whole documents only.
//! - `database`: another program's database refused, reading commands
//!   that change nothing (older schemas, read-only mounts), odd versions.
//! - `samples`: precision and recall on `../shared/corpus` against its gold.
//! - `dev`: scores on the development set `../shared/dev`, held to floors.
//! - `dates`: the dates of evidence and the periods of relations on the
//!   fixtures of `tests/fixtures/dates`, and the helpers `samples` and
//!   `dev` score dates with.
//!
//! Fixtures live in `tests/fixtures`: `corpus` (invented documents, read
//! with the shipped gazetteers), `gazetteer` (a small gazetteer for tests
//! that must not depend on the shipped lists) and `encodings`.
//! `support` has the helpers; each test gets its own scratch directory and
//! database, so tests run in parallel.

mod browser;
mod cli;
mod crash;
mod database;
mod dates;
mod dev;
mod encodings;
mod export_filters;
mod export_other;
mod export_xml;
mod exported;
mod forget;
mod fuzzed;
mod gazetteer;
mod identity;
mod ingest;
mod interrupt;
mod listing;
mod python;
mod queries;
mod relations;
mod samples;
mod serve;
mod suggest;
mod support;
