//! Fuzz target `rules`: see `dossier_fuzz::rules`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dossier_fuzz::rules(data));
