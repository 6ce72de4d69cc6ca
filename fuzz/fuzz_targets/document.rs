//! Fuzz target `document`: see `dossier_fuzz::document`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dossier_fuzz::document(data));
