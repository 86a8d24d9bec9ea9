#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| turkstand::fuzzing::soap_envelope(data));
