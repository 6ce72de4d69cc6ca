//! Fuzz target `query`: see `dossier_fuzz::query`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dossier_fuzz::query(data));
