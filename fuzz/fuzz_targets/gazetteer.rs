//! Fuzz target `gazetteer`: see `dossier_fuzz::gazetteer`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dossier_fuzz::gazetteer(data));
